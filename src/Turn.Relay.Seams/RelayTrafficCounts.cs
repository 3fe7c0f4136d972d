namespace Turn.Relay.Seams;

/// <summary>
/// Relayed traffic in both directions: "to peer" is what clients sent through the relay (the portal's "in"),
/// "to client" what peers sent back ("out"). Counts only what was relayed, not what was dropped.
/// </summary>
public readonly record struct RelayTrafficCounts(long BytesToPeer, long BytesToClient, long PacketsToPeer, long PacketsToClient)
{
    public static RelayTrafficCounts operator +(RelayTrafficCounts left, RelayTrafficCounts right) =>
        new(left.BytesToPeer + right.BytesToPeer, left.BytesToClient + right.BytesToClient,
            left.PacketsToPeer + right.PacketsToPeer, left.PacketsToClient + right.PacketsToClient);
}
