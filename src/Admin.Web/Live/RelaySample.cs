namespace Admin.Web.Live;

/// <summary>
/// Server-wide relay figures at one moment or over one interval (the dashboard's cards and chart points).
/// Rates are bits per second; counts of events are per interval.
/// </summary>
public sealed record RelaySample(
    DateTimeOffset At,
    long ActiveAllocations,
    long ActiveUdp,
    long ActiveTcp,
    long ActiveTls,
    double BitsPerSecondIn,
    double BitsPerSecondOut,
    long AllocationsCreated,
    long AuthFailures,
    long QuotaRejections)
{
    public static RelaySample Empty(DateTimeOffset at) => new(at, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
