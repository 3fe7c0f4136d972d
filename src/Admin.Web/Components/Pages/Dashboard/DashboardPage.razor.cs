using Admin.Data.Administration;
using Admin.Data.RelayCommands;
using Admin.Web.Live;
using Admin.Web.Portal;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Admin.Web.Components.Pages.Dashboard;

/// <summary>
/// Live relay figures and charts from the shared feed and its in-memory history (a superuser sees the server; a
/// realm admin sees their realm's live figures only), plus configuration counts from the database (a realm admin's
/// only cover their realm). The live part keeps updating when the database is away.
/// </summary>
public sealed partial class DashboardPage : IDisposable
{
    private ConfigurationCounts? _counts;
    private string? _dbError;
    private string? _scope;
    private RelaySample _now = RelaySample.Empty(DateTimeOffset.UtcNow);
    private RelaySample _lastMinute = RelaySample.Empty(DateTimeOffset.UtcNow);
    private ChartRange _range = ChartRange.All[1];
    private DashboardCharts _charts = new();
    private bool _quiet;
    private LiveViewSubscription? _subscription;
    private bool _draining;

    [Inject] private PortalActor Actor { get; set; } = null!;

    [Inject] private RealmAdministration Realms { get; set; } = null!;

    [Inject] private RelayDrain Drain { get; set; } = null!;

    [Inject] private IDialogService Dialogs { get; set; } = null!;

    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        var actor = await Actor.GetAsync();
        _scope = actor.IsSuperuser ? null : actor.Realm;
        Refresh(Feed.Current);
        try
        {
            // The service scopes the counts to what the actor may see: a realm admin gets only their realm's figures.
            _counts = await Realms.GetCountsAsync(actor, CancellationToken.None);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            _dbError = "The database is unreachable; configuration counts will show once it is back. The live figures above keep updating.";
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive) _subscription = new LiveViewSubscription(Feed, InvokeAsync, OnTick);
    }

    // Superusers only (the buttons are not shown to realm admins, and RelayDrain refuses them anyway).
    private async Task SetDrainingAsync(bool drain)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(drain ? "Drain the relay" : "Resume the relay",
            drain
                ? $"Refuse new allocations on this server (508, and /readyz reports not ready)? The {_now.ActiveAllocations:N0} live allocations run on until they end."
                : "Accept new allocations on this server again?",
            yesText: drain ? "Drain" : "Resume", cancelText: "Cancel");
        if (confirmed != true) return;
        try
        {
            var actor = await Actor.GetAsync();
            var result = drain ? await Drain.DrainAsync(actor) : await Drain.ResumeAsync(actor);
            _draining = result.Draining;
            var what = result.Draining ? "The relay is draining: new allocations are refused." : "New allocations are accepted again.";
            if (!result.Changed) Snackbar.Add(result.Draining ? "The relay was already draining." : "The relay was already accepting new allocations.", Severity.Info);
            else if (result.AuditWritten) Snackbar.Add(what, Severity.Success);
            else Snackbar.Add(what + " The audit log could not be written (database unreachable); the server log has the details.", Severity.Warning);
        }
        catch (AdminOperationException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
    }

    private void OnTick(LiveSnapshot snapshot)
    {
        Refresh(snapshot);
        StateHasChanged();
    }

    private void Refresh(LiveSnapshot snapshot)
    {
        _draining = Drain.IsDraining;
        if (_scope is not null)
        {
            var mine = snapshot.Sessions.Where(s => s.Allocation.Realm == _scope).ToList();
            _now = RelaySample.Empty(snapshot.TakenAt) with
            {
                ActiveAllocations = mine.Count,
                ActiveUdp = mine.Count(s => s.Allocation.Transport == Turn.Relay.Seams.RelayTransport.Udp),
                ActiveTcp = mine.Count(s => s.Allocation.Transport == Turn.Relay.Seams.RelayTransport.Tcp),
                ActiveTls = mine.Count(s => s.Allocation.Transport == Turn.Relay.Seams.RelayTransport.Tls),
                BitsPerSecondIn = mine.Sum(s => s.BitsPerSecondIn),
                BitsPerSecondOut = mine.Sum(s => s.BitsPerSecondOut),
            };
            return;
        }
        _now = snapshot.Totals;
        _lastMinute = History.LastWindow(TimeSpan.FromMinutes(1));

        _charts = DashboardCharts.From(History, _range);
        _quiet = _charts.Counts.All(series => series.Data.Values.All(v => v == 0)) && _charts.Bandwidth.All(series => series.Data.Values.All(v => v == 0));
    }

    private void SetRange(string key)
    {
        _range = ChartRange.All.FirstOrDefault(r => r.Key == key) ?? _range;
        _charts = DashboardCharts.From(History, _range);
    }

    // First run: no user and no secret to authenticate with (or no realm), and nothing live.
    private bool ShowFirstRun => _counts is { } c && (c.Realms == 0 || c.Users + c.Secrets == 0) && _now.ActiveAllocations == 0;

    public void Dispose() => _subscription?.Dispose();
}
