using System.Net;
using System.Net.Sockets;

namespace Admin.Web.Auth;

/// <summary>
/// The network a sign-in comes from, as the throttle counts it: the /24 of an IPv4 address (IPv4-mapped IPv6
/// included), the /64 of an IPv6 address (what one customer or host typically holds), or "unknown" when the
/// connection has no address (an in-memory test server).
/// </summary>
public readonly record struct ClientNetwork(ulong High, ulong Low, bool IsV6)
{
    public const int IPv4PrefixLength = 24;

    public const int IPv6PrefixLength = 64;

    public static ClientNetwork Of(IPAddress? address)
    {
        if (address is null) return default;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            // The first three octets.
            return new ClientNetwork(0, ((ulong)bytes[0] << 16) | ((ulong)bytes[1] << 8) | bytes[2], false);
        }
        ulong high = 0;
        for (var i = 0; i < 8 && i < written; i++) high = (high << 8) | bytes[i];
        return new ClientNetwork(high, 0, true);
    }

    public override string ToString() => IsV6
        ? $"{High >> 48:x}:{(High >> 32) & 0xffff:x}:{(High >> 16) & 0xffff:x}:{High & 0xffff:x}::/{IPv6PrefixLength}"
        : $"{(Low >> 16) & 0xff}.{(Low >> 8) & 0xff}.{Low & 0xff}.0/{IPv4PrefixLength}";
}
