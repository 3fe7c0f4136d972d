using Admin.Data.Administration;
using Admin.Data.RelayCommands;
using Admin.Web.Cluster;
using Admin.Web.Live;
using Admin.Web.Portal;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Admin.Web.Components.Pages.Sessions;

/// <summary>
/// Every live allocation, from the shared <see cref="LiveRelayFeed"/> snapshot: filtered, sorted and paged on the
/// server per viewer, re-rendered on every tick without touching the viewer's filter, sort, page or scroll.
/// </summary>
public sealed partial class SessionsPage : IDisposable
{
    // Where the browser keeps the viewer's column choice (this browser only; nothing on the server).
    private const string ColumnsKey = "turnstone.sessions.hidden-columns";

    // The node filter's "every node" entry (MudSelect needs a non-null value to show its text).
    private const string AllNodes = "";

    private static readonly int[] PageSizes = [25, 50, 100, 250];

    private LiveSnapshot _snapshot = LiveSnapshot.Empty(DateTimeOffset.UtcNow);
    private SessionQuery _query = new(Scope: null);
    private SessionPage _page = new(0, 0, []);
    private int _visibleTotal;
    private string? _scope;
    private AdminActor? _actor;
    private LiveViewSubscription? _subscription;
    private HashSet<SessionColumn> _hidden = SessionColumnInfo.Hidden(null);
    private IReadOnlyList<string> _nodes = [];
    private bool _choosing;

    [Inject] private LiveRelayFeed Feed { get; set; } = null!;
    // Ends allocations on whichever node holds them (this one directly, another through its internal endpoint).
    [Inject] private ClusterCommands Cluster { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    [Inject] private PortalActor Actor { get; set; } = null!;

    [Inject] private RealmAdministration Realms { get; set; } = null!;

    [Inject] private Microsoft.JSInterop.IJSRuntime JS { get; set; } = null!;

    [Inject] private ServerFacts Facts { get; set; } = null!;

    private List<SessionColumnInfo> Shown => SessionColumnInfo.All.Where(c => !_hidden.Contains(c.Column)).ToList();

    private string Node
    {
        get => _query.Node ?? AllNodes;
        set => Requery(_query with { Node = string.IsNullOrEmpty(value) ? null : value, Page = 0 });
    }

    private string? Realm
    {
        get => _query.Realm;
        set => Requery(_query with { Realm = value, Page = 0 });
    }

    private string? User
    {
        get => _query.User;
        set => Requery(_query with { User = value, Page = 0 });
    }

    private string? Address
    {
        get => _query.Address;
        set => Requery(_query with { Address = value, Page = 0 });
    }

    private int PageCount => Math.Max(1, (_page.Total + _query.PageSize - 1) / _query.PageSize);

    protected override async Task OnInitializedAsync()
    {
        _actor = await Actor.GetAsync();
        _scope = _actor.IsSuperuser ? null : _actor.Realm;
        _query = _query with { Scope = _scope };
        if (_actor.IsSuperuser)
        {
            // With one realm there is nothing to choose: filter by it from the start (the filter stays editable).
            // The page shows the relay's live state; without the database it just skips this.
            try
            {
                var realms = await Realms.ListAsync(_actor, CancellationToken.None);
                if (realms.Count == 1) _query = _query with { Realm = realms[0].Name };
            }
            catch (Exception e) when (Admin.Web.Api.Problems.ApiProblems.IsDatabaseFailure(e))
            {
                // No realm list: the filter starts empty, as it always did.
            }
        }
        _snapshot = Feed.Current;
        Requery(_query);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Only the interactive render subscribes; the prerender has no circuit to push to.
        if (!firstRender || !RendererInfo.IsInteractive) return;
        _subscription = new LiveViewSubscription(Feed, InvokeAsync, OnTick);
        try
        {
            var stored = await JS.InvokeAsync<string?>("localStorage.getItem", ColumnsKey);
            if (stored is not null)
            {
                _hidden = SessionColumnInfo.Hidden(stored);
                StateHasChanged();
            }
        }
        catch (Microsoft.JSInterop.JSException)
        {
            // Storage refused (private mode, policy): the default columns stay.
        }
    }

    private async Task SetShownAsync(SessionColumn column, bool shown)
    {
        if (shown) _hidden.Remove(column);
        else _hidden.Add(column);
        try
        {
            await JS.InvokeVoidAsync("localStorage.setItem", ColumnsKey, SessionColumnInfo.Store(_hidden));
        }
        catch (Microsoft.JSInterop.JSException)
        {
            // Not remembered, but shown as chosen for this visit.
        }
    }

    private string StickyClass(SessionColumn column) => column switch
    {
        SessionColumn.User => "sticky-user",
        SessionColumn.Realm => "sticky-realm",
        _ => "",
    };

    private string AriaSort(SessionColumn column) =>
        _query.SortBy != column ? "none" : _query.Descending ? "descending" : "ascending";

    private static string Who(LiveSession session) => $"{session.Allocation.Username}@{session.Allocation.Realm}";

    private string NodeName(LiveSession session) => session.Node.Length > 0 ? session.Node : Facts.Node;

    private void OnTick(LiveSnapshot snapshot)
    {
        _snapshot = snapshot;
        Requery(_query);
        StateHasChanged();
    }

    private void Requery(SessionQuery query)
    {
        _query = query;
        _page = query.Apply(_snapshot);
        _visibleTotal = _scope is null ? _snapshot.Sessions.Count : _snapshot.Sessions.Count(s => s.Allocation.Realm == _scope);
        _nodes = _snapshot.Sessions.Select(NodeName).Append(Facts.Node).Concat(_snapshot.MissingNodes)
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private void SortBy(SessionColumn column) =>
        Requery(_query with { SortBy = column, Descending = _query.SortBy == column && !_query.Descending });

    private void GoToPage(int page) => Requery(_query with { Page = page - 1 });

    private void SetPageSize(int size) => Requery(_query with { PageSize = size, Page = 0 });

    private async Task ShowDetailsAsync(LiveSession session)
    {
        var parameters = new DialogParameters<SessionDetailsDialog> { { d => d.Session, session } };
        await Dialogs.ShowAsync<SessionDetailsDialog>($"Allocation {session.Id}", parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseButton = true });
    }

    private async Task TerminateAsync(LiveSession session)
    {
        var a = session.Allocation;
        var confirmed = await Dialogs.ShowMessageBoxAsync("End session",
            $"End {Who(session)}'s session on node {NodeName(session)}? It comes from {session.ClientText}, relayed at {session.RelayedText}; the client's next request gets 437.",
            yesText: "Terminate", cancelText: "Cancel");
        if (confirmed != true) return;
        var node = string.IsNullOrEmpty(session.Node) ? Cluster.Self : session.Node;
        await RunAsync(() => Cluster.TerminateAllocationAsync(_actor!, node, a.Id), $"allocation of {a.Username}");
    }

    private async Task TerminateUserAsync(LiveSession session)
    {
        var a = session.Allocation;
        var count = _snapshot.Sessions.Count(s => s.Allocation.Realm == a.Realm && s.Allocation.Username == a.Username);
        var confirmed = await Dialogs.ShowMessageBoxAsync("Terminate user's allocations",
            $"End all {count} live allocation(s) of {a.Username} in realm {a.Realm}?", yesText: "Terminate all", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(async () =>
        {
            var (perNode, audited) = await Cluster.TerminateUserAsync(_actor!, a.Realm, a.Username);
            return new TerminationResult(perNode.Values.Where(c => c > 0).Sum(), audited);
        }, $"allocations of {a.Username}");
    }

    private async Task RunAsync(Func<Task<TerminationResult>> terminate, string what)
    {
        try
        {
            var result = await terminate();
            if (result.Count == 0) Snackbar.Add($"The {what} had already ended.", Severity.Info);
            else if (!result.AuditWritten) Snackbar.Add($"Terminated {result.Count} {what}, but the audit log could not be written (database unreachable); the server log has the details.", Severity.Warning);
            else Snackbar.Add($"Terminated {result.Count} {what}.", Severity.Success);
        }
        catch (AdminOperationException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
        catch (PeerUnavailableException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
        Requery(_query);
    }

    internal static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes:00}m" : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds:00}s" : $"{span.Seconds}s";
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };

    internal static string Rate(double bitsPerSecond) => bitsPerSecond switch
    {
        < 1000 => $"{bitsPerSecond:0} bit/s",
        < 1_000_000 => $"{bitsPerSecond / 1000:0.0} kbit/s",
        < 1_000_000_000 => $"{bitsPerSecond / 1_000_000:0.0} Mbit/s",
        _ => $"{bitsPerSecond / 1_000_000_000:0.00} Gbit/s",
    };

    public void Dispose() => _subscription?.Dispose();
}
