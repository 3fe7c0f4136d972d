using Admin.Web.Api.Contracts;
using Admin.Web.Cluster;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>The cluster's nodes from the registry (any admin), and draining any of them (superusers; audited on this node).</summary>
internal static class NodeEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var nodes = api.MapGroup("/nodes").WithTags("Nodes");
        nodes.MapGet("/", List).WithName("ListNodes")
            .WithSummary("Every node in the registry: state (up/down by heartbeat age), version, allocations, bandwidth, drain state, certificate expiry, TURN addresses.");
        nodes.MapPost("/{node}/drain", Drain).WithName("DrainNode")
            .WithSummary("Drains a node: it refuses new allocations (or redirects them) while live ones run on. Superusers only; 404 unknown node, 503 when it does not answer.");
        nodes.MapDelete("/{node}/drain", Resume).WithName("ResumeNode").WithSummary("The node accepts new allocations again. Superusers only.");
    }

    private static Ok<List<NodeResponse>> List(ClusterNodes nodes) => TypedResults.Ok(nodes.Nodes.Select(ToResponse).ToList());

    private static async Task<Ok<NodeDrainResponse>> Drain(string node, HttpContext http, ClusterCommands commands) =>
        Answer(await commands.SetDrainAsync(ApiActor.Of(http), node, drain: true, http.RequestAborted));

    private static async Task<Ok<NodeDrainResponse>> Resume(string node, HttpContext http, ClusterCommands commands) =>
        Answer(await commands.SetDrainAsync(ApiActor.Of(http), node, drain: false, http.RequestAborted));

    private static Ok<NodeDrainResponse> Answer(NodeDrainOutcome outcome) =>
        TypedResults.Ok(new NodeDrainResponse(outcome.Node, outcome.Draining, outcome.LiveAllocations, outcome.Audited));

    internal static NodeResponse ToResponse(NodeState state)
    {
        var n = state.Node;
        return new NodeResponse(n.Name, state.Up ? "up" : "down", n.Version, n.StartedAt, n.HeartbeatAt, n.Draining, n.Full, n.Allocations,
            n.BitsPerSecondIn, n.BitsPerSecondOut, n.CertificateExpiry, state.Self, new NodeTurnAddresses(n.UdpAddresses, n.TcpAddresses, n.TlsAddresses));
    }
}
