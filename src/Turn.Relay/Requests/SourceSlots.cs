using Turn.Protocol;

namespace Turn.Relay.Requests;

/// <summary>
/// Where a client's source address lands in the per-source tables: one slot for the source (an IPv4 address,
/// or an IPv6 /64, the block one subscriber usually holds, so rotating addresses inside it buys nothing) and
/// one for its prefix (IPv4 /24, IPv6 /56). Ports are ignored (a new port is free to an attacker). The hash is
/// seeded per process (<see cref="HashCode"/>), so nobody can aim collisions from outside; a collision only
/// makes two sources share a limit, never widens one.
/// </summary>
internal readonly record struct SourceSlots(int Source, int Prefix)
{
    public static SourceSlots For(in TransportAddress client, int sourceMask, int prefixMask)
    {
        var address = client.Canonicalize();
        UInt128 source, prefix;
        if (address.IsIPv4)
        {
            source = address.Address;
            prefix = address.Address & 0xFFFF_FF00;
        }
        else
        {
            source = address.Address >> 64;
            prefix = address.Address >> 72;
        }
        var family = (int)address.Family;
        return new SourceSlots(
            HashCode.Combine(family, (ulong)(source >> 64), (ulong)source) & sourceMask,
            HashCode.Combine(family, 1, (ulong)(prefix >> 64), (ulong)prefix) & prefixMask);
    }
}
