namespace Admin.Data.Usage;

/// <summary>What one compaction did: minute rows summed into hours, hour rows into days, day rows deleted.</summary>
public sealed record UsageCompaction(long MinuteRows, long HourRows, long DayRowsExpired);
