namespace Admin.Data.Entities;

/// <summary>
/// Usage of one user over one hour or one day, summed over relay nodes: what per-minute rows become once they are
/// older than Usage:MinuteRetention (hours) and Usage:HourRetention (days). A period's minutes are moved here in the
/// same statement that deletes them, so a figure is never in both tables.
/// </summary>
public sealed class UsagePeriod
{
    public const string Hour = "hour";
    public const string Day = "day";

    /// <summary><see cref="Hour"/> or <see cref="Day"/>.</summary>
    public string Granularity { get; set; } = Hour;

    /// <summary>Start of the hour or day (UTC).</summary>
    public DateTimeOffset PeriodStart { get; set; }

    public string Realm { get; set; } = "";

    public string Name { get; set; } = "";

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public long PacketsIn { get; set; }

    public long PacketsOut { get; set; }

    public double AllocationSeconds { get; set; }
}
