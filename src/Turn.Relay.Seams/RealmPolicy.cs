namespace Turn.Relay.Seams;

/// <summary>
/// Limits and peer ranges for one realm. Null limits mean "use the server's configured default".
/// Ranges are as coturn writes them: a single address, a CIDR, or "a-b".
/// Instances are immutable and may be compared by reference to detect a change.
/// </summary>
public sealed record RealmPolicy(
    int? UserQuota,
    int? TotalQuota,
    long? MaxBitsPerSecond,
    IReadOnlyList<string> AllowedPeerRanges,
    IReadOnlyList<string> DeniedPeerRanges)
{
    public static readonly RealmPolicy Empty = new(null, null, null, [], []);
}
