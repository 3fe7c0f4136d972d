using System.Globalization;
using Admin.Data.Administration;
using Admin.Data.Usage;
using Admin.Web.Portal;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Admin.Web.Components.Pages.Usage;

/// <summary>
/// Usage history for billing: a date range (UTC days), realm and node filters, per-realm totals, top users (TURN REST
/// credentials grouped by user part, raw names one click away), a chart per period and a CSV export of the same
/// filters. The resolution follows the range (<see cref="UsageResolutions"/>), as GET /api/v1/usage does.
/// </summary>
public sealed partial class UsagePage
{
    private const int TopUsers = 20;
    private const int CredentialsShown = 50;
    private const string AllRealms = "";
    private const string AllNodes = "";

    private DateRange _range = new(DateTime.UtcNow.Date.AddDays(-6), DateTime.UtcNow.Date);
    private string _realm = AllRealms;
    private string _node = AllNodes;
    private string? _scope;
    private AdminActor? _actor;
    private IReadOnlyList<string> _realms = [];
    private IReadOnlyList<string> _nodes = [];
    private UsageResolution _resolution = UsageResolution.Hour;
    private IReadOnlyList<UsageAccount> _top = [];
    private IReadOnlyList<UsageTotals> _realmTotals = [];
    private readonly Dictionary<(string Realm, string User), IReadOnlyList<UsageTotals>> _expanded = [];
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];
    private string _chartUnit = "B";
    private string? _error;

    [Inject] private UsageBilling Billing { get; set; } = null!;

    [Inject] private RealmAdministration Realms { get; set; } = null!;

    [Inject] private PortalActor Actor { get; set; } = null!;

    private UsageFilter Filter
    {
        get
        {
            var from = DateTime.SpecifyKind((_range.Start ?? DateTime.UtcNow.Date).Date, DateTimeKind.Utc);
            var to = DateTime.SpecifyKind((_range.End ?? _range.Start ?? DateTime.UtcNow.Date).Date.AddDays(1), DateTimeKind.Utc);
            return new UsageFilter(new DateTimeOffset(from), new DateTimeOffset(to), _realm.Length == 0 ? null : _realm, _node.Length == 0 ? null : _node);
        }
    }

    private string ExportUrl
    {
        get
        {
            var filter = Filter;
            var resolution = _resolution == UsageResolution.Minute ? "hour" : UsageResolutions.Name(_resolution);
            var url = $"{UsageExportEndpoint.Path.TrimStart('/')}?from={filter.From:yyyy-MM-dd}&to={filter.To:yyyy-MM-dd}&resolution={resolution}";
            if (filter.Realm is not null) url += "&realm=" + Uri.EscapeDataString(filter.Realm);
            if (filter.Node is not null) url += "&node=" + Uri.EscapeDataString(filter.Node);
            return url;
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _actor = await Actor.GetAsync();
        _scope = _actor.IsSuperuser ? null : _actor.Realm;
        try
        {
            if (_scope is null) _realms = (await Realms.ListAsync(_actor, CancellationToken.None)).Select(r => r.Name).ToList();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // The load below reports the outage.
        }
        await LoadAsync();
    }

    private async Task RangeChangedAsync(DateRange range)
    {
        _range = range;
        await LoadAsync();
    }

    private async Task RealmChangedAsync(string? realm)
    {
        _realm = realm ?? AllRealms;
        await LoadAsync();
    }

    private async Task NodeChangedAsync(string? node)
    {
        _node = node ?? AllNodes;
        await LoadAsync();
    }

    private async Task ToggleAsync(UsageAccount row)
    {
        var key = (row.Realm, row.User);
        if (_expanded.Remove(key)) return;
        try
        {
            _expanded[key] = await Billing.CredentialsAsync(_actor!, Filter, row.Realm, row.User, CredentialsShown, CancellationToken.None);
        }
        catch (Exception e) when (e is AdminOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _error = e is AdminOperationException ? e.Message : "The database is unreachable; try again shortly.";
        }
    }

    private async Task LoadAsync()
    {
        var filter = Filter;
        _resolution = UsageResolutions.For(filter.From, filter.To);
        _expanded.Clear();
        try
        {
            _nodes = await Billing.NodesAsync(_actor!, filter with { Node = null }, CancellationToken.None);
            _realmTotals = await Billing.RealmTotalsAsync(_actor!, filter, CancellationToken.None);
            _top = await Billing.AccountsAsync(_actor!, filter, TopUsers, CancellationToken.None);
            var points = await Billing.SeriesAsync(_actor!, filter, _resolution, null, CancellationToken.None);
            // Labels carry the year: a billing period may cross New Year.
            var format = _resolution == UsageResolution.Day ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm";
            var every = Math.Max(1, points.Count / 8);
            _labels = points.Select((p, i) => i % every == 0 ? p.Minute.UtcDateTime.ToString(format, CultureInfo.InvariantCulture) : "").ToArray();
            var (divisor, unit) = ByteSize.ChartUnit(points.Count == 0 ? 0 : points.Max(p => Math.Max(p.BytesIn, p.BytesOut)));
            _chartUnit = unit;
            _series = points.Count == 0 ? [] :
            [
                new ChartSeries<double> { Name = $"in ({unit})", Data = new ChartData<double>(points.Select(p => p.BytesIn / divisor).ToArray()) },
                new ChartSeries<double> { Name = $"out ({unit})", Data = new ChartData<double>(points.Select(p => p.BytesOut / divisor).ToArray()) },
            ];
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
