namespace Admin.Web.Components.Pages.Dashboard;

/// <summary>
/// A time range the dashboard's charts can show: how far back, which history it reads (per-second samples or
/// per-minute ones) and how many samples make one point, so no range plots more than about 300 points.
/// </summary>
public sealed record ChartRange(string Key, string Title, TimeSpan Span, bool FromMinutes, int SamplesPerPoint)
{
    public static readonly IReadOnlyList<ChartRange> All =
    [
        new("5m", "5 min", TimeSpan.FromMinutes(5), false, 1),
        new("15m", "15 min", TimeSpan.FromMinutes(15), false, 10),
        new("1h", "1 h", TimeSpan.FromHours(1), true, 1),
        new("24h", "24 h", TimeSpan.FromHours(24), true, 5),
    ];

    /// <summary>How long one plotted point covers (the event counts are per this interval).</summary>
    public TimeSpan PointInterval => (FromMinutes ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(1)) * SamplesPerPoint;

    public string PointIntervalText => PointInterval.TotalMinutes >= 1 ? $"{PointInterval.TotalMinutes:0} min" : $"{PointInterval.TotalSeconds:0} s";
}
