using Admin.Data.Administration;
using Admin.Data.RelayCommands;
using Admin.Web.Api.Contracts;
using Admin.Web.Api.Problems;
using Admin.Web.Cluster;
using Admin.Web.Live;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>
/// Live allocations (the Sessions page's data) and ending them, across the cluster: read from the per-second snapshot
/// that merges every node's, each session naming its node; a realm admin sees and ends only their realm's.
/// </summary>
internal static class SessionEndpoints
{
    public const int DefaultPageSize = 50;

    public static void Map(RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions").WithTags("Sessions");
        sessions.MapGet("/", List).WithName("ListSessions")
            .WithSummary("Live allocations on every node, newest first. Filters ?realm=, ?user=, ?address= (case-insensitive substrings; address matches client or relayed), ?node= (exact); paging ?skip=0&take=50 (at most 500). unavailableNodes lists nodes that did not answer this second.");
        sessions.MapDelete("/{id}", Terminate).WithName("TerminateSession")
            .WithSummary("Ends one allocation on this node: its client's next Refresh gets 437. 404 when it is not live (or, for a realm admin, not in their realm).");
        sessions.MapDelete("/{node}/{id}", TerminateOnNode).WithName("TerminateSessionOnNode")
            .WithSummary("Ends one allocation held on any node of the cluster; audited here, naming the node. 404 when it is not live there, 503 when the node does not answer.");
        api.MapDelete("/realms/{realm}/users/{name}/sessions", TerminateUser).WithTags("Sessions").WithName("TerminateUserSessions")
            .WithSummary("Ends every live allocation of the user on every node; answers how many, and per node (-1: the node did not answer). The audit row is written even if the caller has gone.");
    }

    private static Ok<SessionListResponse> List(string? realm, string? user, string? address, string? node, int? skip, int? take, HttpContext http, LiveRelayFeed feed)
    {
        var offset = skip ?? 0;
        var size = take ?? DefaultPageSize;
        if (offset < 0) throw ApiProblems.Invalid("skip", "'skip' must be 0 or more.");
        if (size is < 1 or > SessionQuery.MaxPageSize) throw ApiProblems.Invalid("take", $"'take' must be between 1 and {SessionQuery.MaxPageSize}.");
        var actor = ApiActor.Of(http);
        var query = new SessionQuery(actor.IsSuperuser ? null : actor.Realm, realm, user, address);
        var snapshot = feed.Current;
        IReadOnlyList<LiveSession> matching = query.Filter(snapshot);
        if (!string.IsNullOrWhiteSpace(node)) matching = matching.Where(s => string.Equals(s.Node, node.Trim(), StringComparison.Ordinal)).ToList();
        var items = matching.Skip(offset).Take(size).Select(ToResponse).ToList();
        return TypedResults.Ok(new SessionListResponse(items, matching.Count, offset, size, snapshot.MissingNodes));
    }

    private static async Task<Ok<TerminationResponse>> TerminateOnNode(string node, string id, HttpContext http, ClusterCommands commands)
    {
        var result = await commands.TerminateAllocationAsync(ApiActor.Of(http), node, id, CancellationToken.None);
        if (result.Count == 0) throw new AdminOperationException(AdminErrorCode.NotFound, $"No live allocation has the id '{id}' on node '{node}' (it may have ended already).", "id");
        return TypedResults.Ok(new TerminationResponse(result.Count, result.AuditWritten));
    }

    private static async Task<Ok<TerminationResponse>> Terminate(string id, HttpContext http, SessionTerminator terminator)
    {
        var result = await terminator.TerminateAllocationAsync(ApiActor.Of(http), id);
        if (result.Count == 0) throw new AdminOperationException(AdminErrorCode.NotFound, $"No live allocation has the id '{id}' (it may have ended already).", "id");
        return TypedResults.Ok(new TerminationResponse(result.Count, result.AuditWritten));
    }

    private static async Task<Ok<TerminationResponse>> TerminateUser(string realm, string name, HttpContext http, ClusterCommands commands)
    {
        // Not the request's token: the allocations are ending, and their audit row must not be dropped because the caller went.
        var (perNode, audited) = await commands.TerminateUserAsync(ApiActor.Of(http), realm, name, CancellationToken.None);
        return TypedResults.Ok(new TerminationResponse(perNode.Values.Where(c => c > 0).Sum(), audited, perNode));
    }

    private static SessionResponse ToResponse(LiveSession session)
    {
        var a = session.Allocation;
        return new SessionResponse(a.Id, a.Realm, a.Username, a.Transport.ToString().ToLowerInvariant(), a.ClientAddress.ToString(), a.RelayedAddress.ToString(),
            a.Created, a.Expires,
            a.Permissions.Select(p => new SessionPermission(p.Peer.ToString(), p.Expires)).ToList(),
            a.Channels.Select(c => new SessionChannel(c.Number, c.Peer.ToString(), c.Expires)).ToList(),
            a.BytesFromClient, a.PacketsFromClient, a.BytesToClient, a.PacketsToClient, session.BitsPerSecondIn, session.BitsPerSecondOut, session.Node);
    }
}
