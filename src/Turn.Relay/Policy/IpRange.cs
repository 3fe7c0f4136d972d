using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Turn.Relay.Policy;

/// <summary>
/// An inclusive range of IP addresses as coturn's allowed_peer_ip / denied_peer_ip hold them:
/// a single address ("10.0.0.1", "fe80::1"), a CIDR block ("10.0.0.0/8", "fc00::/7") or
/// "first-last" ("10.0.0.1-10.0.0.9"). Both ends share one family. IPv4-mapped IPv6 ranges
/// ("::ffff:10.0.0.0/104") are stored as the IPv4 range they name, because peers are
/// canonicalised to IPv4 before they are checked.
/// </summary>
internal readonly struct IpRange : IEquatable<IpRange>
{
    private const string Forms = "expected an address (10.0.0.1, fe80::1), a CIDR block (10.0.0.0/8, fc00::/7) or a range (10.0.0.1-10.0.0.9)";

    private readonly UInt128 _first;
    private readonly UInt128 _last;
    private readonly bool _isIPv4;
    private readonly bool _isValid;

    private IpRange(bool isIPv4, UInt128 first, UInt128 last)
    {
        _isIPv4 = isIPv4;
        _first = first;
        _last = last;
        _isValid = true;
    }

    public AddressFamily AddressFamily => _isIPv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    public IPAddress First => new IpAddressBits(_isIPv4, _first).ToIPAddress();

    public IPAddress Last => new IpAddressBits(_isIPv4, _last).ToIPAddress();

    /// <summary>A CIDR block: prefixLength leading bits of network, the rest free.</summary>
    public static IpRange FromCidr(IPAddress network, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(network);
        var bits = IpAddressBits.From(network);
        var width = bits.IsIPv4 ? 32 : 128;
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, width);
        var hostMask = HostMask(width, prefixLength);
        if ((bits.Value & hostMask) != 0)
        {
            throw new ArgumentException($"{network}/{prefixLength} has host bits set.", nameof(network));
        }

        return Canonical(new IpRange(bits.IsIPv4, bits.Value, bits.Value | hostMask));
    }

    /// <summary>Parses a range, throwing <see cref="FormatException"/> with the reason.</summary>
    public static IpRange Parse(string text) =>
        TryParse(text, out var range, out var error) ? range : throw new FormatException(error);

    /// <summary>
    /// Parses a range. On failure, <paramref name="error"/> says what is wrong in words an
    /// operator can act on (the portal shows it as a validation message).
    /// </summary>
    public static bool TryParse(string? text, out IpRange range, [NotNullWhen(false)] out string? error)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"The IP range is empty: {Forms}.";
            return false;
        }

        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        var dash = span.IndexOf('-');
        if (slash >= 0 && dash >= 0)
        {
            error = $"'{text}' mixes a CIDR prefix and a range: {Forms}.";
            return false;
        }

        if (slash >= 0)
        {
            return TryParseCidr(text, span[..slash], span[(slash + 1)..], out range, out error);
        }

        if (dash >= 0)
        {
            if (!TryParseAddress(span[..dash].Trim(), out var first, out var firstError))
            {
                error = $"'{text}': the first address {firstError}.";
                return false;
            }

            if (!TryParseAddress(span[(dash + 1)..].Trim(), out var last, out var lastError))
            {
                error = $"'{text}': the last address {lastError}.";
                return false;
            }

            first = CanonicalMapped(first);
            last = CanonicalMapped(last);
            if (first.IsIPv4 != last.IsIPv4)
            {
                error = $"'{text}' mixes an IPv4 and an IPv6 address; both ends must be of one family.";
                return false;
            }

            if (first.Value > last.Value)
            {
                error = $"'{text}' runs backwards: the first address is greater than the last.";
                return false;
            }

            range = new IpRange(first.IsIPv4, first.Value, last.Value);
            error = null;
            return true;
        }

        if (!TryParseAddress(span, out var single, out var singleError))
        {
            error = $"'{text}' {singleError}: {Forms}.";
            return false;
        }

        single = CanonicalMapped(single);
        range = new IpRange(single.IsIPv4, single.Value, single.Value);
        error = null;
        return true;
    }

    /// <summary>True when the address (taken as it is, not canonicalised) lies in the range.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Contains(IpAddressBits.From(address));
    }

    internal bool Contains(IpAddressBits address) =>
        _isValid && address.IsIPv4 == _isIPv4 && address.Value >= _first && address.Value <= _last;

    /// <summary>The shortest form: one address, a CIDR block when the range is one, else first-last.</summary>
    public override string ToString()
    {
        if (!_isValid)
        {
            return string.Empty;
        }

        var first = new IpAddressBits(_isIPv4, _first).ToIPAddress().ToString();
        if (_first == _last)
        {
            return first;
        }

        var width = _isIPv4 ? 32 : 128;
        var size = _last - _first;
        // A CIDR block spans 2^k - 1 beyond its first address, which is aligned to 2^k.
        if ((size & (size + 1)) == 0 && (_first & size) == 0)
        {
            var hostBits = size == UInt128.MaxValue ? 128 : (int)UInt128.Log2(size + 1);
            return string.Create(CultureInfo.InvariantCulture, $"{first}/{width - hostBits}");
        }

        return $"{first}-{new IpAddressBits(_isIPv4, _last).ToIPAddress()}";
    }

    public bool Equals(IpRange other) =>
        _isValid == other._isValid && _isIPv4 == other._isIPv4 && _first == other._first && _last == other._last;

    public override bool Equals(object? obj) => obj is IpRange other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_isIPv4, _first, _last);

    public static bool operator ==(IpRange left, IpRange right) => left.Equals(right);

    public static bool operator !=(IpRange left, IpRange right) => !left.Equals(right);

    private static bool TryParseCidr(string text, ReadOnlySpan<char> addressPart, ReadOnlySpan<char> prefixPart, out IpRange range, [NotNullWhen(false)] out string? error)
    {
        range = default;
        if (!TryParseAddress(addressPart.Trim(), out var network, out var addressError))
        {
            error = $"'{text}': the network address {addressError}.";
            return false;
        }

        var width = network.IsIPv4 ? 32 : 128;
        prefixPart = prefixPart.Trim();
        if (prefixPart.Length is 0 or > 3 || !IsAllDigits(prefixPart)
            || !int.TryParse(prefixPart, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > width)
        {
            error = $"'{text}': the prefix length must be a whole number from 0 to {width}.";
            return false;
        }

        var hostMask = HostMask(width, prefix);
        if ((network.Value & hostMask) != 0)
        {
            var suggestion = new IpAddressBits(network.IsIPv4, network.Value & ~hostMask).ToIPAddress();
            error = $"'{text}' has bits set after the /{prefix} prefix; did you mean {suggestion}/{prefix}?";
            return false;
        }

        range = Canonical(new IpRange(network.IsIPv4, network.Value, network.Value | hostMask));
        error = null;
        return true;
    }

    private static bool TryParseAddress(ReadOnlySpan<char> text, out IpAddressBits address, [NotNullWhen(false)] out string? error)
    {
        address = default;
        if (text.IsEmpty)
        {
            error = "is missing";
            return false;
        }

        if (text.Contains(':'))
        {
            if (text.Contains('%'))
            {
                error = "has a zone index (%...), which a peer range cannot use";
                return false;
            }

            // IPAddress.TryParse also takes "[::1]" and "[::1]:80", silently dropping the port.
            if (text.ContainsAny('[', ']') || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = "is not a valid IPv6 address";
                return false;
            }

            address = IpAddressBits.From(v6);
            error = null;
            return true;
        }

        // Strict dotted quad: IPAddress.TryParse also takes inet_aton forms ("127.1", "0x7f.1",
        // "010.0.0.1" as octal), which would silently name a different address than intended.
        uint value = 0;
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++parts > 4 || part.Length is 0 or > 3 || !IsAllDigits(part) || (part.Length > 1 && part[0] == '0'))
            {
                error = "is not a valid IPv4 address (four decimal numbers 0-255 without leading zeros, like 192.0.2.1)";
                return false;
            }

            var octet = int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
            if (octet > 255)
            {
                error = "is not a valid IPv4 address (each number must be 0-255)";
                return false;
            }

            value = (value << 8) | (uint)octet;
        }

        if (parts != 4)
        {
            error = "is not a valid IPv4 address (four decimal numbers 0-255 without leading zeros, like 192.0.2.1)";
            return false;
        }

        address = new IpAddressBits(true, value);
        error = null;
        return true;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static UInt128 HostMask(int width, int prefix)
    {
        var hostBits = width - prefix;
        return hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }

    private static IpAddressBits CanonicalMapped(IpAddressBits address) =>
        address.IsIPv4Mapped ? address.Canonical() : address;

    // A range wholly inside ::ffff:0:0/96 names IPv4 addresses.
    private static IpRange Canonical(IpRange range)
    {
        var first = new IpAddressBits(range._isIPv4, range._first);
        var last = new IpAddressBits(range._isIPv4, range._last);
        return first.IsIPv4Mapped && last.IsIPv4Mapped
            ? new IpRange(true, first.Canonical().Value, last.Canonical().Value)
            : range;
    }
}
