namespace Admin.Data.Usage;

/// <summary>Summed usage of one user (or, with <paramref name="Name"/> null, a realm) over a period.</summary>
public sealed record UsageTotals(string Realm, string? Name, long BytesIn, long BytesOut, long PacketsIn, long PacketsOut, double AllocationSeconds);
