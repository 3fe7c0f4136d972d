using Admin.Data.Cluster;

namespace Admin.Web.Cluster;

/// <summary>One registry entry as of the last heartbeat: up when its heartbeat was younger than Cluster:NodeDownAfter.</summary>
public sealed record NodeState(ClusterNode Node, bool Up, bool Self)
{
    public string Name => Node.Name;
}
