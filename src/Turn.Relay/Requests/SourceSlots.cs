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
        ulong source, prefix;
        if (address.IsIPv4)
        {
            source = address.AddressLow;
            prefix = address.AddressLow & 0xFFFF_FF00;
        }
        else
        {
            source = address.AddressHigh;       // the /64
            prefix = address.AddressHigh >> 8;  // the /56
        }
        var family = (int)address.Family;
        return new SourceSlots(
            HashCode.Combine(family, source) & sourceMask,
            HashCode.Combine(family, 1, prefix) & prefixMask);
    }
}
