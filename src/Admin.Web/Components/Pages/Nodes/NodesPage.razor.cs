using Admin.Data.Administration;
using Admin.Data.Cluster;
using Admin.Web.Cluster;
using Admin.Web.Live;
using Admin.Web.Portal;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Admin.Web.Components.Pages.Nodes;

/// <summary>
/// The cluster's nodes from the in-memory registry view (<see cref="ClusterNodes"/>, refreshed each heartbeat; no
/// database query per viewer), re-rendered every live tick. Superusers drain and resume any node, after a confirmation;
/// the command is audited on this node, naming the target.
/// </summary>
public sealed partial class NodesPage : IDisposable
{
    private IReadOnlyList<NodeState> _nodes = [];
    private LiveViewSubscription? _subscription;
    private bool _superuser;
    private bool _clustered;
    private TimeSpan _heartbeat;
    private TimeSpan _downAfter;

    [Inject] private ClusterNodes Cluster { get; set; } = null!;

    [Inject] private ClusterCommands Commands { get; set; } = null!;

    [Inject] private LiveRelayFeed Feed { get; set; } = null!;

    [Inject] private IOptions<ClusterOptions> Options { get; set; } = null!;

    [Inject] private PortalActor Actor { get; set; } = null!;

    [Inject] private IDialogService Dialogs { get; set; } = null!;

    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    [Inject] private TimeProvider Time { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        var actor = await Actor.GetAsync();
        _superuser = actor.IsSuperuser;
        _clustered = Options.Value.Enabled;
        _heartbeat = Options.Value.HeartbeatInterval;
        _downAfter = Options.Value.NodeDownAfter;
        _nodes = Cluster.Nodes;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive) _subscription = new LiveViewSubscription(Feed, InvokeAsync, _ =>
        {
            _nodes = Cluster.Nodes;
            StateHasChanged();
        });
    }

    private bool CanCommand(NodeState state) => state.Self || (_clustered && state.Up && !string.IsNullOrEmpty(state.Node.InternalUrl));

    private async Task SetDrainAsync(NodeState state, bool drain)
    {
        var name = state.Name;
        var confirmed = await Dialogs.ShowMessageBoxAsync(drain ? $"Drain node {name}" : $"Resume node {name}",
            drain
                ? $"Stop node {name} taking new allocations (they are redirected to another live node, or refused)? Its {state.Node.Allocations:N0} live allocations run on until they end."
                : $"Let node {name} accept new allocations again?",
            yesText: drain ? "Drain" : "Resume", cancelText: "Cancel");
        if (confirmed != true) return;
        try
        {
            var outcome = await Commands.SetDrainAsync(await Actor.GetAsync(), name, drain);
            var what = outcome.Draining ? $"Node {name} is draining." : $"Node {name} accepts new allocations.";
            if (outcome.Audited is null) Snackbar.Add(what + " (It already was.)", Severity.Info);
            else if (outcome.Audited == true) Snackbar.Add(what, Severity.Success);
            else Snackbar.Add(what + " The audit log could not be written (database unreachable); the server log has the details.", Severity.Warning);
        }
        catch (Exception e) when (e is AdminOperationException or PeerUnavailableException)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
    }

    private string Ago(DateTimeOffset at)
    {
        var seconds = Math.Max(0, (Time.GetUtcNow() - at).TotalSeconds);
        return seconds < 120 ? $"{seconds:0} s ago" : seconds < 7200 ? $"{seconds / 60:0} min ago" : at.ToLocalTime().ToString("yyyy-MM-dd HH:mm");
    }

    private string CertificateText(DateTimeOffset? expiry)
    {
        if (expiry is not { } notAfter) return "no TLS";
        var days = (notAfter - Time.GetUtcNow()).TotalDays;
        return days < 0 ? $"expired {notAfter:yyyy-MM-dd}" : $"{notAfter:yyyy-MM-dd} ({days:0} days)";
    }

    private static string TurnText(ClusterNode node)
    {
        var parts = new List<string>();
        if (node.UdpAddresses.Count > 0) parts.Add("udp " + string.Join(", ", node.UdpAddresses));
        if (node.TcpAddresses.Count > 0) parts.Add("tcp " + string.Join(", ", node.TcpAddresses));
        if (node.TlsAddresses.Count > 0) parts.Add("tls " + string.Join(", ", node.TlsAddresses));
        return string.Join(" · ", parts);
    }

    public void Dispose() => _subscription?.Dispose();
}
