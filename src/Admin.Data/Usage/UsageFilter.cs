namespace Admin.Data.Usage;

/// <summary>
/// What a usage report covers: [<paramref name="From"/>, <paramref name="To"/>), optionally one realm and one relay node
/// (Usage:Node). Per-minute rows carry their node; hourly and daily rows are summed over nodes when compacted, so a
/// node filter only sees the per-minute window (Usage:MinuteRetention).
/// </summary>
public sealed record UsageFilter(DateTimeOffset From, DateTimeOffset To, string? Realm = null, string? Node = null);
