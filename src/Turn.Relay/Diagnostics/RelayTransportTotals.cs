namespace Turn.Relay.Diagnostics;

/// <summary>Totals for one client transport. Mutable: filled by one scrape, then read.</summary>
internal sealed class RelayTransportTotals
{
    public long Allocations;
    public long Permissions;
    public long Channels;
    public long BytesToPeer;
    public long BytesToClient;
    public long PacketsToPeer;
    public long PacketsToClient;
    public long DroppedToPeer;
    public long DroppedToClient;
}
