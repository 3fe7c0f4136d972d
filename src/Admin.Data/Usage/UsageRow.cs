namespace Admin.Data.Usage;

/// <summary>One user's usage in one period (a line of the CSV export).</summary>
public sealed record UsageRow(DateTimeOffset PeriodStart, string Realm, string Name, long BytesIn, long BytesOut, long PacketsIn, long PacketsOut, double AllocationSeconds);
