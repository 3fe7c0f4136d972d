namespace Admin.Data.Cluster;

/// <summary>
/// One registry row as read at a heartbeat, with the age of its heartbeat by the database's clock (so a node is judged
/// up or down without comparing the nodes' own clocks).
/// </summary>
public sealed record NodeRecord(ClusterNode Node, TimeSpan HeartbeatAge);
