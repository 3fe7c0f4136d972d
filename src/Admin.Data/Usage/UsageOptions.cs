namespace Admin.Data.Usage;

/// <summary>
/// Usage history (configuration section "Usage"): how the relay's traffic is rolled up into PostgreSQL and how long
/// each resolution is kept. Validated at start by <see cref="UsageOptionsValidator"/>.
/// </summary>
public sealed class UsageOptions
{
    public const string Section = "Usage";

    /// <summary>Record usage at all (default true). Off: nothing is written; the Usage page shows what is there.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// This relay's name in the rows it writes (default: the machine name). Nodes sharing a database must differ,
    /// since each node's row for a minute replaces its own earlier write. At most 64 characters.
    /// </summary>
    public string? Node { get; set; }

    /// <summary>
    /// How often live counters are sampled and the open minutes written (default 5 s, 1 s to 1 min). Traffic is
    /// counted in the minute it was sampled in, so a shorter interval puts minute boundaries more exactly.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most (minute, realm, user) rows held in memory while the database is unreachable (default 100,000, at least
    /// 100). Beyond it the oldest finished minutes are dropped and counted (metric turnstone.usage.rows.dropped),
    /// so an outage can never exhaust memory.
    /// </summary>
    public int MaxBacklogRows { get; set; } = 100_000;

    /// <summary>Per-minute rows older than this are summed into hours (default 7 days, at least 1 day).</summary>
    public TimeSpan MinuteRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Hourly rows older than this are summed into days (default 90 days, at least MinuteRetention).</summary>
    public TimeSpan HourRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Daily rows older than this are deleted (default 0 = kept for ever; else at least HourRetention).</summary>
    public TimeSpan DayRetention { get; set; } = TimeSpan.Zero;

    /// <summary>How often old rows are compacted and expired (default 1 hour, 1 minute to 1 day).</summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The node name to write: <see cref="Node"/>, or the machine name cut to 64 characters.</summary>
    public string EffectiveNode => Node is { Length: > 0 } node ? node : Environment.MachineName is { Length: > 64 } machine ? machine[..64] : Environment.MachineName;

    /// <summary>Null when valid, else a message naming the bad key.</summary>
    internal string? Validate()
    {
        if (Node is { Length: > 64 }) return $"{Section}:{nameof(Node)} must be at most 64 characters (is {Node.Length}).";
        if (FlushInterval < TimeSpan.FromSeconds(1) || FlushInterval > TimeSpan.FromMinutes(1))
            return $"{Section}:{nameof(FlushInterval)} must be between 00:00:01 and 00:01:00 (is {FlushInterval}).";
        if (MaxBacklogRows < 100) return $"{Section}:{nameof(MaxBacklogRows)} must be at least 100 (is {MaxBacklogRows}).";
        if (MinuteRetention < TimeSpan.FromDays(1)) return $"{Section}:{nameof(MinuteRetention)} must be at least 1.00:00:00 (is {MinuteRetention}).";
        if (HourRetention < MinuteRetention)
            return $"{Section}:{nameof(HourRetention)} must be at least {Section}:{nameof(MinuteRetention)} ({MinuteRetention}; is {HourRetention}).";
        if (DayRetention != TimeSpan.Zero && DayRetention < HourRetention)
            return $"{Section}:{nameof(DayRetention)} must be 0 (keep for ever) or at least {Section}:{nameof(HourRetention)} ({HourRetention}; is {DayRetention}).";
        if (CompactionInterval < TimeSpan.FromMinutes(1) || CompactionInterval > TimeSpan.FromDays(1))
            return $"{Section}:{nameof(CompactionInterval)} must be between 00:01:00 and 1.00:00:00 (is {CompactionInterval}).";
        return null;
    }
}
