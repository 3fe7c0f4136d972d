namespace Admin.Web.Cluster;

/// <summary>What the other nodes answered in one tick: their snapshots, and the up nodes that did not answer in time.</summary>
public sealed record PeerSnapshots(IReadOnlyList<NodeSnapshotWire> Snapshots, IReadOnlyList<string> Unavailable)
{
    public static readonly PeerSnapshots None = new([], []);
}
