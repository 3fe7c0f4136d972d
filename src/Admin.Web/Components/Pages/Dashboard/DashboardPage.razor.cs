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
    // The 15-minute chart plots 10-second averages: 90 points instead of 900.
    private const int SecondsPerPoint = 10;

    private ConfigurationCounts? _counts;
    private string? _dbError;
    private string? _scope;
    private RelaySample _now = RelaySample.Empty(DateTimeOffset.UtcNow);
    private RelaySample _lastMinute = RelaySample.Empty(DateTimeOffset.UtcNow);
    private List<ChartSeries<double>> _bandwidth15 = [];
    private string[] _labels15 = [];
    private List<ChartSeries<double>> _hour = [];
    private string[] _labelsHour = [];
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

        var seconds = History.Seconds();
        var points = seconds.Chunk(SecondsPerPoint).ToList();
        _labels15 = points.Select((chunk, i) => i % 18 == 0 ? chunk[0].At.ToLocalTime().ToString("HH:mm") : "").ToArray();
        _bandwidth15 =
        [
            new ChartSeries<double> { Name = "in", Data = new ChartData<double>(points.Select(c => c.Average(s => s.BitsPerSecondIn) / 1000).ToArray()) },
            new ChartSeries<double> { Name = "out", Data = new ChartData<double>(points.Select(c => c.Average(s => s.BitsPerSecondOut) / 1000).ToArray()) },
        ];

        var minutes = History.Minutes();
        _labelsHour = minutes.Select((m, i) => i % 10 == 0 ? m.At.ToLocalTime().ToString("HH:mm") : "").ToArray();
        _hour =
        [
            new ChartSeries<double> { Name = "active allocations", Data = new ChartData<double>(minutes.Select(m => (double)m.ActiveAllocations).ToArray()) },
            new ChartSeries<double> { Name = "allocations created", Data = new ChartData<double>(minutes.Select(m => (double)m.AllocationsCreated).ToArray()) },
            new ChartSeries<double> { Name = "auth failures", Data = new ChartData<double>(minutes.Select(m => (double)m.AuthFailures).ToArray()) },
            new ChartSeries<double> { Name = "Mbit/s in", Data = new ChartData<double>(minutes.Select(m => m.BitsPerSecondIn / 1_000_000).ToArray()) },
            new ChartSeries<double> { Name = "Mbit/s out", Data = new ChartData<double>(minutes.Select(m => m.BitsPerSecondOut / 1_000_000).ToArray()) },
        ];
    }

    public void Dispose() => _subscription?.Dispose();
}
