namespace Admin.Data.Usage;

/// <summary>One user name's usage in one period, with its billing user part (a line of the CSV export).</summary>
public sealed record UsageBillingRow(DateTimeOffset PeriodStart, string Realm, string User, string Username,
    long BytesIn, long BytesOut, long PacketsIn, long PacketsOut, double AllocationSeconds);
