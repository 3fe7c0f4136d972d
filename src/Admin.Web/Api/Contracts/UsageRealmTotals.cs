namespace Admin.Web.Api.Contracts;

/// <summary>One realm's totals in the range (bytes, packets, allocation-seconds).</summary>
public sealed record UsageRealmTotals(string Realm, long BytesIn, long BytesOut, long PacketsIn, long PacketsOut, double AllocationSeconds);
