using Admin.Web.Live;
using MudBlazor;
using MudBlazor.Charts;

namespace Admin.Web.Components.Pages.Dashboard;

/// <summary>
/// The dashboard's two time-series charts for one <see cref="ChartRange"/>: bandwidth in and out (one adaptive unit
/// for both, nice ticks) and counts (live allocations, allocations created and auth failures per point interval), each
/// with its own axis, so rates and counts never share a scale. Time runs in UTC on the x axis, labelled on round times; hovering a point shows
/// its value with the unit.
/// </summary>
public sealed class DashboardCharts
{
    public List<ChartSeries<double>> Bandwidth { get; private init; } = [];

    public TimeSeriesChartOptions BandwidthOptions { get; private init; } = new();

    public List<ChartSeries<double>> Counts { get; private init; } = [];

    public TimeSeriesChartOptions CountsOptions { get; private init; } = new();

    public ChartScale RateScale { get; private init; } = ChartScale.ForRates(0);

    public int Points { get; private init; }

    public static DashboardCharts From(RelaySampleHistory history, ChartRange range)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(range);
        var samples = range.FromMinutes ? history.Minutes() : history.Seconds();
        if (samples.Count > 0)
        {
            var from = samples[^1].At - range.Span;
            samples = samples.Where(s => s.At > from).ToList();
        }
        var points = samples.Chunk(range.SamplesPerPoint).Select(Merge).ToList();

        var rates = ChartScale.ForRates(points.Count == 0 ? 0 : points.Max(p => Math.Max(p.BitsPerSecondIn, p.BitsPerSecondOut)));
        var counts = ChartScale.ForCounts(points.Count == 0 ? 0 : points.Max(p => Math.Max(p.ActiveAllocations, Math.Max(p.AllocationsCreated, p.AuthFailures))), "count");
        var per = range.PointIntervalText;
        var bitsIn = Series("in (to peers)", points, p => p.BitsPerSecondIn / rates.Divisor, rates.Unit);
        var bitsOut = Series("out (to clients)", points, p => p.BitsPerSecondOut / rates.Divisor, rates.Unit);
        return new DashboardCharts
        {
            Points = points.Count,
            RateScale = rates,
            Bandwidth = [bitsIn, bitsOut],
            BandwidthOptions = WithArea(Options(points, rates, rates.Unit), bitsIn),
            Counts =
            [
                Series("live allocations", points, p => p.ActiveAllocations, ""),
                Series($"allocations created per {per}", points, p => p.AllocationsCreated, ""),
                Series($"auth failures per {per}", points, p => p.AuthFailures, ""),
            ],
            CountsOptions = Options(points, counts, $"count (events per {per})"),
        };
    }

    private static ChartSeries<double> Series(string name, IReadOnlyList<RelaySample> points, Func<RelaySample, double> value, string unit) => new()
    {
        Name = name,
        Data = points.Select(p => new TimeValue<double>(p.At.UtcDateTime, value(p))).ToArray(),
        TooltipTitleFormat = "{{SERIES_NAME}}: {{Y_VALUE}}" + (unit.Length > 0 ? " " + unit : ""),
        TooltipSubtitleFormat = "{{X_VALUE}} UTC",
        TooltipYValueFormat = "0.##",
    };

    // Time labels every "nice" interval giving about five labels over the span actually plotted (a fresh server has
    // only seconds of history even in the 24 h range), on round times.
    private static readonly TimeSpan[] LabelSteps =
    [
        .. new[] { 5, 10, 15, 30 }.Select(s => TimeSpan.FromSeconds(s)),
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(m => TimeSpan.FromMinutes(m)),
        .. new[] { 1, 2, 3, 6, 12 }.Select(h => TimeSpan.FromHours(h)),
    ];

    internal static TimeSpan LabelStep(TimeSpan span) => LabelSteps.FirstOrDefault(step => span / step <= 6, LabelSteps[^1]);

    private static TimeSeriesChartOptions Options(IReadOnlyList<RelaySample> points, ChartScale scale, string yTitle)
    {
        var span = points.Count < 2 ? TimeSpan.Zero : points[^1].At - points[0].At;
        var step = LabelStep(span);
        return new()
        {
            YAxisTicks = scale.Step,
            MaxNumYAxisTicks = 12,
            YAxisSuggestedMax = scale.Top,
            YAxisToStringFunc = scale.Format,
            YAxisTitle = yTitle,
            YAxisLines = true,
            XAxisLines = true,
            TimeLabelFormat = step < TimeSpan.FromMinutes(1) ? "HH:mm:ss" : "HH:mm",
            TimeLabelSpacing = step,
            TimeLabelSpacingRounding = true,
            TooltipTimeLabelFormat = "yyyy-MM-dd HH:mm:ss",
            ShowToolTips = true,
            ShowLegend = true,
            LineStrokeWidth = 2,
            ChartPalette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"],
        };
    }

    // "in" is drawn as a light area under its line, so equal in and out rates still show both.
    private static TimeSeriesChartOptions WithArea(TimeSeriesChartOptions options, ChartSeries<double> series)
    {
        options.SeriesDisplayOverrides = new Dictionary<IChartSeries, SeriesDisplayOverride>
        {
            [series] = new() { LineDisplayType = LineDisplayType.Area, FillOpacity = 0.25 },
        };
        return options;
    }

    // One point: rates averaged, event counts summed, the last live count (as the per-minute history does).
    private static RelaySample Merge(RelaySample[] chunk) => chunk[^1] with
    {
        At = chunk[0].At,
        BitsPerSecondIn = chunk.Average(s => s.BitsPerSecondIn),
        BitsPerSecondOut = chunk.Average(s => s.BitsPerSecondOut),
        AllocationsCreated = chunk.Sum(s => s.AllocationsCreated),
        AuthFailures = chunk.Sum(s => s.AuthFailures),
        QuotaRejections = chunk.Sum(s => s.QuotaRejections),
    };
}
