using Admin.Data.Administration;
using Admin.Data.RelayCommands;
using Turn.Relay.Seams;

namespace Admin.Web.Cluster;

/// <summary>
/// Terminate and drain on any node, for the portal and the API: this node's own relay directly, another node through
/// its internal endpoint. Each command is audited here, on the node where it was issued, naming the target node; a
/// realm admin's commands carry their realm so a peer ends only that realm's allocations.
/// </summary>
public sealed class ClusterCommands(
    ClusterNodes nodes,
    ClusterPeerClient? peers,
    IRelayState state,
    IRelayControl control,
    RelayCommandAudit audit)
{
    public const string DrainAction = "node.drain";
    public const string ResumeAction = "node.resume";

    public string Self => nodes.Self;

    /// <summary>Ends one allocation on <paramref name="node"/>. Count 0 when it is not live there (or not in a realm admin's realm).</summary>
    public async Task<TerminationResult> TerminateAllocationAsync(AdminActor actor, string node, string allocationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrEmpty(allocationId);
        AllocationWire? ended;
        if (IsSelf(node))
        {
            var allocation = state.GetSnapshot().Allocations.FirstOrDefault(a => a.Id == allocationId);
            if (allocation is null || !MayManage(actor, allocation.Realm) || !control.TerminateAllocation(allocationId)) return new TerminationResult(0, AuditWritten: true);
            ended = NodeSnapshotCodec.ToWire(new Live.LiveSession(allocation, allocation.ClientAddress.ToString(), allocation.RelayedAddress.ToString(), 0, 0, node));
        }
        else
        {
            var result = await SendAsync(Peer(node), HttpMethod.Post, $"{InternalEndpoints.Prefix}/allocations/{Uri.EscapeDataString(allocationId)}/terminate",
                new TerminateCommandWire(actor.Realm), ClusterJsonContext.Default.TerminateResultWire, cancellationToken);
            if (result.Count == 0 || result.Allocation is null) return new TerminationResult(0, AuditWritten: true);
            ended = result.Allocation;
        }
        var written = await audit.WriteAsync(actor, SessionTerminator.TerminateAction, allocationId, ended.Realm, new
        {
            node,
            user = ended.User,
            client = ended.Client,
            transport = ((RelayTransport)ended.Transport).ToString().ToLowerInvariant(),
            relayed = ended.Relayed,
            bytesFromClient = ended.BytesFromClient,
            bytesToClient = ended.BytesToClient,
        });
        return new TerminationResult(1, written);
    }

    /// <summary>
    /// Ends every allocation of a user on every up node (this one and each peer, in parallel); counts per node. A peer
    /// that does not answer is counted as -1 and named in the audit row, and the others still end theirs.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, int> PerNode, bool AuditWritten)> TerminateUserAsync(AdminActor actor, string realm, string username,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentException.ThrowIfNullOrEmpty(username);
        if (!MayManage(actor, realm))
            throw new AdminOperationException(AdminErrorCode.Forbidden, $"Admin '{actor.Name}' may only manage realm '{actor.Realm}'.", "realm");
        var perNode = new Dictionary<string, int>(StringComparer.Ordinal) { [nodes.Self] = control.TerminateUser(realm, username) };
        if (peers is not null)
        {
            var remote = nodes.Peers.Select(async peer =>
            {
                try
                {
                    var result = await peers.SendCommandAsync(peer, HttpMethod.Post, $"{InternalEndpoints.Prefix}/users/terminate",
                        new TerminateCommandWire(actor.Realm, realm, username), ClusterJsonContext.Default.TerminateCommandWire,
                        ClusterJsonContext.Default.TerminateResultWire, cancellationToken);
                    return (peer.Name, result.Count);
                }
                catch (PeerUnavailableException)
                {
                    return (peer.Name, Count: -1);
                }
            }).ToArray();
            foreach (var (name, count) in await Task.WhenAll(remote)) perNode[name] = count;
        }
        var total = perNode.Values.Where(c => c > 0).Sum();
        var unanswered = perNode.Where(p => p.Value < 0).Select(p => p.Key).ToArray();
        if (total == 0 && unanswered.Length == 0) return (perNode, true);
        var written = await audit.WriteAsync(actor, SessionTerminator.TerminateUserAction, username, realm, new
        {
            allocations = total,
            nodes = perNode.Where(p => p.Value >= 0).ToDictionary(p => p.Key, p => p.Value),
            unanswered,
        });
        return (perNode, written);
    }

    /// <summary>Drains (or resumes) <paramref name="node"/>. Superusers only. Audited when the state changed.</summary>
    public async Task<NodeDrainOutcome> SetDrainAsync(AdminActor actor, string node, bool drain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsSuperuser)
            throw new AdminOperationException(AdminErrorCode.Forbidden, $"Admin '{actor.Name}' may not drain or resume a node: only a superuser may, as it concerns every realm.", null);
        DrainResultWire result;
        if (IsSelf(node))
        {
            var changed = drain ? control.Drain() : control.Resume();
            result = new DrainResultWire(control.IsDraining, changed, state.GetSnapshot().Allocations.Count);
        }
        else
        {
            var peer = Peer(node);
            result = drain
                ? await SendAsync(peer, HttpMethod.Post, $"{InternalEndpoints.Prefix}/drain", null, ClusterJsonContext.Default.DrainResultWire, cancellationToken)
                : await SendAsync(peer, HttpMethod.Delete, $"{InternalEndpoints.Prefix}/drain", null, ClusterJsonContext.Default.DrainResultWire, cancellationToken);
        }
        if (!result.Changed) return new NodeDrainOutcome(node, result.Draining, result.LiveAllocations, Audited: null);
        var written = await audit.WriteAsync(actor, drain ? DrainAction : ResumeAction, node, null, new { node, liveAllocations = result.LiveAllocations });
        return new NodeDrainOutcome(node, result.Draining, result.LiveAllocations, written);
    }

    private bool IsSelf(string node) => string.Equals(node, nodes.Self, StringComparison.Ordinal);

    /// <summary>The registered node by that name, reachable for commands; 404 when unknown, 503 when clustering is off or it is down.</summary>
    private NodeState Peer(string node)
    {
        var state = nodes.Find(node) ?? throw new AdminOperationException(AdminErrorCode.NotFound, $"No node named '{node}' is registered.", "node");
        if (peers is null) throw new PeerUnavailableException(node, "clustering is off on this node (Cluster:Key is empty), so it cannot reach other nodes");
        if (!state.Up) throw new PeerUnavailableException(node, "it is down (no heartbeat within Cluster:NodeDownAfter)");
        if (string.IsNullOrEmpty(state.Node.InternalUrl)) throw new PeerUnavailableException(node, "it has no internal endpoint (clustering is off there)");
        return state;
    }

    private Task<T> SendAsync<T>(NodeState peer, HttpMethod method, string path, TerminateCommandWire? body,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> resultType, CancellationToken cancellationToken) =>
        peers!.SendCommandAsync(peer, method, path, body, ClusterJsonContext.Default.TerminateCommandWire, resultType, cancellationToken);

    private static bool MayManage(AdminActor actor, string realm) => actor.IsSuperuser || string.Equals(actor.Realm, realm, StringComparison.Ordinal);
}
