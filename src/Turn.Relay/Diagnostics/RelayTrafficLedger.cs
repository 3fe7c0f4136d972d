using Turn.Relay.Allocations;
using Turn.Relay.Seams;

namespace Turn.Relay.Diagnostics;

/// <summary>
/// The relay's traffic totals for the meter: live allocations' counters plus what deleted ones
/// carried (kept here when they go, so counters stay monotonic) plus ChannelData from clients
/// without an allocation.
/// </summary>
internal sealed class RelayTrafficLedger
{
    private readonly RelayTransportTotals[] _deleted = [new(), new(), new()];
    private long _droppedUnknown;

    /// <summary>ChannelData from a 5-tuple without an allocation (data path: one interlocked add).</summary>
    public void CountDroppedUnknown() => Interlocked.Increment(ref _droppedUnknown);

    /// <summary>Keeps a deleted allocation's traffic in the totals.</summary>
    public void AddDeleted(Allocation allocation)
    {
        var totals = _deleted[(int)allocation.Transport];
        Interlocked.Add(ref totals.BytesToPeer, Volatile.Read(ref allocation.BytesFromClient));
        Interlocked.Add(ref totals.PacketsToPeer, Volatile.Read(ref allocation.PacketsFromClient));
        Interlocked.Add(ref totals.DroppedToPeer, Volatile.Read(ref allocation.DroppedFromClient));
        Interlocked.Add(ref totals.BytesToClient, Volatile.Read(ref allocation.BytesToClient));
        Interlocked.Add(ref totals.PacketsToClient, Volatile.Read(ref allocation.PacketsToClient));
        Interlocked.Add(ref totals.DroppedToClient, Volatile.Read(ref allocation.DroppedToClient));
    }

    /// <summary>The totals now, per client transport, with <paramref name="live"/> the table's allocations.</summary>
    public RelayTotals Compute(IEnumerable<Allocation> live)
    {
        var totals = new RelayTransportTotals[3];
        for (var i = 0; i < totals.Length; i++)
        {
            var deleted = _deleted[i];
            totals[i] = new RelayTransportTotals
            {
                BytesToPeer = Interlocked.Read(ref deleted.BytesToPeer),
                BytesToClient = Interlocked.Read(ref deleted.BytesToClient),
                PacketsToPeer = Interlocked.Read(ref deleted.PacketsToPeer),
                PacketsToClient = Interlocked.Read(ref deleted.PacketsToClient),
                DroppedToPeer = Interlocked.Read(ref deleted.DroppedToPeer),
                DroppedToClient = Interlocked.Read(ref deleted.DroppedToClient),
            };
        }
        totals[(int)RelayTransport.Udp].DroppedToPeer += Interlocked.Read(ref _droppedUnknown);
        foreach (var allocation in live)
        {
            if (allocation.IsDeleted) continue;
            var t = totals[(int)allocation.Transport];
            t.Allocations++;
            t.Permissions += allocation.Permissions.Count;
            t.Channels += allocation.ChannelsByNumber.Count;
            t.BytesToPeer += Volatile.Read(ref allocation.BytesFromClient);
            t.PacketsToPeer += Volatile.Read(ref allocation.PacketsFromClient);
            t.DroppedToPeer += Volatile.Read(ref allocation.DroppedFromClient);
            t.BytesToClient += Volatile.Read(ref allocation.BytesToClient);
            t.PacketsToClient += Volatile.Read(ref allocation.PacketsToClient);
            t.DroppedToClient += Volatile.Read(ref allocation.DroppedToClient);
        }
        return new RelayTotals(totals);
    }
}
