namespace Admin.Data.Usage;

/// <summary>Usage summed over all nodes for one minute (a point of the Usage page's chart).</summary>
public sealed record UsagePoint(DateTimeOffset Minute, long BytesIn, long BytesOut, double AllocationSeconds);
