namespace Admin.Data.Quotas;

/// <summary>
/// Section "ClusterQuota": the user quota shared by the nodes on one database (docs/CLUSTER-DEPLOY.md, "Cluster-wide
/// user quota"). Validated at start.
/// </summary>
public sealed class ClusterQuotaOptions
{
    public const string Section = "ClusterQuota";

    /// <summary>ClusterQuota:Enabled (default true): count other nodes' allocations against Relay:UserQuota and realm quotas.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// ClusterQuota:RefreshInterval (default 1 s, 100 ms to 1 min): how often the other nodes' counts are re-read into
    /// memory and this node's heartbeat written. A change of this node's counts is written within WriteInterval, not on
    /// this beat.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// ClusterQuota:WriteInterval (default 100 ms, 0 to RefreshInterval): the least time between two writes of this node's
    /// changed counts; the changes made meanwhile go in the next write. In a burst of allocations every change was a
    /// write of its own (about 15 % of the process's CPU in docs/PERFORMANCE.md's setup burst). The overshoot bound does
    /// not depend on it (docs/CLUSTER-DEPLOY.md): only grants from memory wait for this write, and a node grants at most
    /// its fair share from memory. 0 writes each change at once.
    /// </summary>
    public TimeSpan WriteInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// ClusterQuota:NodeDownAfter (default 10 s, at least 2 x RefreshInterval): a node whose heartbeat is older no longer
    /// counts (it was killed; its allocations died with it). Match Cluster:NodeDownAfter.
    /// </summary>
    public TimeSpan NodeDownAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Null when valid, else a message naming the bad key.</summary>
    internal string? Validate()
    {
        if (RefreshInterval < TimeSpan.FromMilliseconds(100) || RefreshInterval > TimeSpan.FromMinutes(1))
            return $"{Section}:{nameof(RefreshInterval)} must be between 00:00:00.1 and 00:01:00 (is {RefreshInterval}).";
        if (WriteInterval < TimeSpan.Zero || WriteInterval > RefreshInterval)
            return $"{Section}:{nameof(WriteInterval)} must be between 00:00:00 and {Section}:{nameof(RefreshInterval)} (is {WriteInterval}).";
        if (NodeDownAfter < 2 * RefreshInterval)
            return $"{Section}:{nameof(NodeDownAfter)} must be at least twice {Section}:{nameof(RefreshInterval)} (is {NodeDownAfter}).";
        return null;
    }
}
