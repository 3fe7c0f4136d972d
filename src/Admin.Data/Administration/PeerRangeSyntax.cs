using System.Net;
using System.Net.Sockets;

namespace Admin.Data.Administration;

/// <summary>
/// Validates peer ranges in coturn's notation before they are stored: "192.0.2.1", "192.0.2.0/24",
/// "2001:db8::/32" or "192.0.2.10-192.0.2.20". The relay parses the same strings when it applies them.
/// </summary>
internal static class PeerRangeSyntax
{
    public static string? Check(string? range)
    {
        if (string.IsNullOrEmpty(range)) return "The peer range is empty.";
        if (range.Length > 256) return "The peer range is longer than 256 characters.";
        if (range.Any(char.IsWhiteSpace)) return $"The peer range '{AdminValidation.Printable(range)}' must not contain spaces.";
        var shown = AdminValidation.Printable(range);

        var slash = range.IndexOf('/');
        if (slash >= 0)
        {
            if (!TryParseAddress(range.AsSpan(0, slash), out var network))
                return $"'{shown}': the part before '/' is not an IP address.";
            var maxPrefix = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            var prefixText = range.AsSpan(slash + 1);
            if (prefixText.Length is 0 or > 3 || !int.TryParse(prefixText, System.Globalization.NumberStyles.None, null, out var prefix) || prefix > maxPrefix)
                return $"'{shown}': the prefix length after '/' must be a number from 0 to {maxPrefix}.";
            // The relay refuses networks with host bits set (10.0.0.1/8); say so now rather than store a rule it ignores.
            var bytes = network.GetAddressBytes();
            for (var bit = prefix; bit < bytes.Length * 8; bit++)
            {
                if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
                    return $"'{shown}' has bits set after the /{prefix} prefix; did you mean {Network(bytes, prefix)}/{prefix}?";
            }
            return null;
        }

        var dash = range.IndexOf('-');
        if (dash >= 0)
        {
            if (!TryParseAddress(range.AsSpan(0, dash), out var first) || !TryParseAddress(range.AsSpan(dash + 1), out var last))
                return $"'{shown}': a range must be two IP addresses joined by '-', e.g. 192.0.2.10-192.0.2.20.";
            if (first.AddressFamily != last.AddressFamily) return $"'{shown}': both ends of a range must be IPv4 or both IPv6.";
            if (Compare(first, last) > 0) return $"'{shown}': the first address of a range must not be greater than the last.";
            return null;
        }

        return TryParseAddress(range, out _) ? null : $"'{shown}' is not an IP address, a CIDR (a.b.c.d/n) or a range (a-b).";
    }

    private static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        // Zone ids (fe80::1%eth0) mean nothing in a stored rule; IPAddress.TryParse would accept them.
        if (text.IsEmpty || text.Contains('%')) return false;
        if (!IPAddress.TryParse(text, out var parsed)) return false;
        // IPAddress.TryParse also accepts inet_aton forms ("1", "1.2", octal "010.0.0.1"); rules are plain dotted quads.
        if (parsed.AddressFamily == AddressFamily.InterNetwork && !IsDottedQuad(text)) return false;
        address = parsed;
        return true;
    }

    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var part in text.Split('.'))
        {
            var number = text[part];
            if (number.Length is 0 or > 3 || (number.Length > 1 && number[0] == '0')) return false;
            foreach (var c in number)
            {
                if (!char.IsAsciiDigit(c)) return false;
            }
            parts++;
        }
        return parts == 4;
    }

    private static string Network(byte[] bytes, int prefix)
    {
        var masked = (byte[])bytes.Clone();
        for (var bit = prefix; bit < masked.Length * 8; bit++) masked[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPAddress(masked).ToString();
    }

    private static int Compare(IPAddress a, IPAddress b)
    {
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.TryWriteBytes(x, out var lengthA);
        b.TryWriteBytes(y, out var lengthB);
        return x[..lengthA].SequenceCompareTo(y[..lengthB]);
    }
}
