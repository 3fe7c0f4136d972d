using System.Globalization;
using Admin.Data.Administration;
using Admin.Data.Usage;
using Admin.Web.Live;
using Admin.Web.Portal;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Admin.Web.Components.Pages.Usage;

/// <summary>
/// Usage history for billing: a date range (UTC days), top users, a chart per period and a CSV export of the same
/// range. The resolution follows the range (minutes up to 6 hours, hours up to 14 days, days beyond).
/// </summary>
public sealed partial class UsagePage
{
    private const int TopUsers = 20;

    private DateRange _range = new(DateTime.UtcNow.Date.AddDays(-6), DateTime.UtcNow.Date);
    private string? _realm;
    private string? _scope;
    private AdminActor? _actor;
    private UsageResolution _resolution = UsageResolution.Hour;
    private IReadOnlyList<UsageTotals> _top = [];
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];
    private string? _error;

    [Inject] private UsageReports Reports { get; set; } = null!;

    [Inject] private PortalActor Actor { get; set; } = null!;

    private (DateTimeOffset From, DateTimeOffset To) Period
    {
        get
        {
            var from = DateTime.SpecifyKind((_range.Start ?? DateTime.UtcNow.Date).Date, DateTimeKind.Utc);
            var to = DateTime.SpecifyKind((_range.End ?? _range.Start ?? DateTime.UtcNow.Date).Date.AddDays(1), DateTimeKind.Utc);
            return (new DateTimeOffset(from), new DateTimeOffset(to));
        }
    }

    private string ExportUrl
    {
        get
        {
            var (from, to) = Period;
            var url = $"{UsageExportEndpoint.Path.TrimStart('/')}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}&resolution={(_resolution == UsageResolution.Minute ? "hour" : _resolution.ToString().ToLowerInvariant())}";
            return string.IsNullOrEmpty(_realm) ? url : url + "&realm=" + Uri.EscapeDataString(_realm);
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _actor = await Actor.GetAsync();
        _scope = _actor.IsSuperuser ? null : _actor.Realm;
        await LoadAsync();
    }

    private async Task RangeChangedAsync(DateRange range)
    {
        _range = range;
        await LoadAsync();
    }

    private async Task RealmChangedAsync(string? realm)
    {
        _realm = string.IsNullOrWhiteSpace(realm) ? null : realm.Trim();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var (from, to) = Period;
        var span = to - from;
        _resolution = span <= TimeSpan.FromHours(6) ? UsageResolution.Minute : span <= TimeSpan.FromDays(14) ? UsageResolution.Hour : UsageResolution.Day;
        try
        {
            _top = await Reports.TopUsersAsync(_actor!, _realm, from, to, TopUsers, CancellationToken.None);
            var points = await Reports.SeriesAsync(_actor!, _realm, null, from, to, _resolution, CancellationToken.None);
            var format = _resolution == UsageResolution.Day ? "MM-dd" : "MM-dd HH:mm";
            var every = Math.Max(1, points.Count / 12);
            _labels = points.Select((p, i) => i % every == 0 ? p.Minute.UtcDateTime.ToString(format, CultureInfo.InvariantCulture) : "").ToArray();
            _series =
            [
                new ChartSeries<double> { Name = "in", Data = new ChartData<double>(points.Select(p => p.BytesIn / 1e6).ToArray()) },
                new ChartSeries<double> { Name = "out", Data = new ChartData<double>(points.Select(p => p.BytesOut / 1e6).ToArray()) },
            ];
            if (points.Count == 0) _series = [];
            _error = null;
        }
        catch (AdminOperationException e)
        {
            _error = e.Message;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            _error = "The database is unreachable; usage history will show once it is back.";
        }
    }
}
