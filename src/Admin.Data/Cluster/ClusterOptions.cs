namespace Admin.Data.Cluster;

/// <summary>
/// Several <c>turnstone serve</c> nodes on one PostgreSQL (configuration section "Cluster"). Every node registers
/// itself in <c>turnstone_node</c> and beats there; with a <see cref="Key"/> it also serves its live state and takes
/// commands on its internal endpoint, and its portal shows the whole cluster. Validated at start by
/// <see cref="ClusterOptionsValidator"/>. The node's name is <c>Usage:Node</c>.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Shortest accepted <see cref="Key"/>: 32 characters keep a guessed key out of reach of an HMAC brute force.</summary>
    public const int MinKeyLength = 32;

    /// <summary>
    /// Shared secret (at least 32 characters) that authenticates node-to-node calls with an HMAC. Empty (the default):
    /// clustering off; the node still registers itself but serves and calls no internal endpoint, its views are local.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// Kestrel URL of this node's internal endpoint (its own listener, e.g. <c>http://198.18.7.2:9650</c>); only
    /// <c>/internal/v1/</c> routes are served there. Required when <see cref="Key"/> is set. Port 0 picks a free port.
    /// </summary>
    public string? InternalUrl { get; set; }

    /// <summary>The internal URL written in the registry for the other nodes (default: <see cref="InternalUrl"/> as bound).</summary>
    public string? AdvertisedInternalUrl { get; set; }

    /// <summary>How often this node writes its heartbeat and re-reads the registry (default 2 s, 0.2 s to 1 min).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A node whose heartbeat is older than this is "down" (default 10 s; more than HeartbeatInterval).</summary>
    public TimeSpan NodeDownAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Registry entries whose heartbeat is older than this are deleted (default 1 h; at least NodeDownAfter).</summary>
    public TimeSpan NodeExpireAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a peer may take to answer a snapshot fetch or a command (default 0.8 s, 0.05 s to 30 s); a peer
    /// that does not answer a snapshot in time is listed as unavailable for that tick.
    /// </summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>True when a key is set: the internal endpoint runs and the portal's views cover every node.</summary>
    public bool Enabled => !string.IsNullOrEmpty(Key);

    /// <summary>Null when valid, else a message naming the bad key.</summary>
    internal string? Validate()
    {
        if (Enabled)
        {
            if (Key!.Length < MinKeyLength) return $"{Section}:{nameof(Key)} must be at least {MinKeyLength} characters (is {Key.Length}); leave it empty to turn clustering off.";
            if (!IsHttpUrl(InternalUrl)) return $"{Section}:{nameof(InternalUrl)} must be an http:// or https:// URL when {Section}:{nameof(Key)} is set (is '{InternalUrl}').";
        }
        else if (!string.IsNullOrEmpty(InternalUrl) && !IsHttpUrl(InternalUrl))
        {
            return $"{Section}:{nameof(InternalUrl)} must be an http:// or https:// URL (is '{InternalUrl}').";
        }
        if (!string.IsNullOrEmpty(AdvertisedInternalUrl) && !IsHttpUrl(AdvertisedInternalUrl))
            return $"{Section}:{nameof(AdvertisedInternalUrl)} must be an http:// or https:// URL (is '{AdvertisedInternalUrl}').";
        if (HeartbeatInterval < TimeSpan.FromMilliseconds(200) || HeartbeatInterval > TimeSpan.FromMinutes(1))
            return $"{Section}:{nameof(HeartbeatInterval)} must be between 00:00:00.200 and 00:01:00 (is {HeartbeatInterval}).";
        if (NodeDownAfter <= HeartbeatInterval)
            return $"{Section}:{nameof(NodeDownAfter)} must be longer than {Section}:{nameof(HeartbeatInterval)} ({HeartbeatInterval}; is {NodeDownAfter}).";
        if (NodeExpireAfter < NodeDownAfter)
            return $"{Section}:{nameof(NodeExpireAfter)} must be at least {Section}:{nameof(NodeDownAfter)} ({NodeDownAfter}; is {NodeExpireAfter}).";
        if (PeerTimeout < TimeSpan.FromMilliseconds(50) || PeerTimeout > TimeSpan.FromSeconds(30))
            return $"{Section}:{nameof(PeerTimeout)} must be between 00:00:00.050 and 00:00:30 (is {PeerTimeout}).";
        return null;
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
