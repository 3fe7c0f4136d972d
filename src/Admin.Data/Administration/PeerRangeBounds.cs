using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Admin.Data.Administration;

/// <summary>
/// A peer range (as <see cref="PeerRangeSyntax"/> accepts it) as first and last address, to tell whether two ranges
/// overlap. IPv4-mapped IPv6 (::ffff:0:0/96) is read as the IPv4 range it names, as the relay reads it.
/// </summary>
internal readonly record struct PeerRangeBounds(bool IsIPv4, UInt128 First, UInt128 Last)
{
    public static bool TryParse(string? range, out PeerRangeBounds bounds)
    {
        bounds = default;
        if (PeerRangeSyntax.Check(range) is not null) return false;
        var slash = range!.IndexOf('/');
        if (slash >= 0)
        {
            var network = Bits(IPAddress.Parse(range.AsSpan(0, slash)), out var width);
            var prefix = int.Parse(range.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture);
            var host = width - prefix == 128 ? UInt128.MaxValue : (UInt128.One << (width - prefix)) - 1;
            bounds = Canonical(new PeerRangeBounds(width == 32, network, network | host));
            return true;
        }
        var dash = range.IndexOf('-');
        if (dash >= 0)
        {
            var first = IPAddress.Parse(range.AsSpan(0, dash));
            bounds = Canonical(new PeerRangeBounds(first.AddressFamily == AddressFamily.InterNetwork,
                Bits(first, out _), Bits(IPAddress.Parse(range.AsSpan(dash + 1)), out _)));
            return true;
        }
        var single = IPAddress.Parse(range);
        var value = Bits(single, out _);
        bounds = Canonical(new PeerRangeBounds(single.AddressFamily == AddressFamily.InterNetwork, value, value));
        return true;
    }

    public bool Overlaps(PeerRangeBounds other) => IsIPv4 == other.IsIPv4 && First <= other.Last && other.First <= Last;

    private static UInt128 Bits(IPAddress address, out int width)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        width = written * 8;
        return written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static PeerRangeBounds Canonical(PeerRangeBounds range)
    {
        const ulong MappedHigh = 0xFFFF;
        if (range.IsIPv4 || range.First >> 32 != MappedHigh || range.Last >> 32 != MappedHigh) return range;
        return new PeerRangeBounds(true, range.First & uint.MaxValue, range.Last & uint.MaxValue);
    }
}
