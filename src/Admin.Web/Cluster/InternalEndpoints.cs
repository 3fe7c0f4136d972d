using System.Text.Json;
using Admin.Web.Live;
using Turn.Relay.Seams;

namespace Admin.Web.Cluster;

/// <summary>
/// The routes of the internal endpoint, for the other nodes (after <see cref="InternalRequestAuthentication"/>):
/// this node's live snapshot, ending one allocation or a user's, draining and resuming. No audit rows here: the node
/// where an admin issued the command writes it, naming this node.
/// </summary>
internal sealed class InternalEndpoints(LiveRelayFeed feed, IRelayState state, IRelayControl control)
{
    public const string Prefix = "/internal/v1";

    private CachedSnapshot _cached = new(LiveSnapshot.Empty(DateTimeOffset.MinValue), []);

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Prefix + "/snapshot", SnapshotAsync);
        routes.MapPost(Prefix + "/allocations/{id}/terminate", TerminateAllocationAsync);
        routes.MapPost(Prefix + "/users/terminate", TerminateUserAsync);
        routes.MapPost(Prefix + "/drain", http => SetDrainAsync(http, drain: true));
        routes.MapDelete(Prefix + "/drain", http => SetDrainAsync(http, drain: false));
    }

    /// <summary>Serialised once per tick, whichever and however many peers ask within it.</summary>
    internal byte[] SnapshotJson()
    {
        var local = feed.LocalCurrent;
        var cached = Volatile.Read(ref _cached);
        if (ReferenceEquals(cached.Source, local)) return cached.Json;
        var json = JsonSerializer.SerializeToUtf8Bytes(NodeSnapshotCodec.ToWire(feed.Node, local), ClusterJsonContext.Default.NodeSnapshotWire);
        Volatile.Write(ref _cached, new CachedSnapshot(local, json));
        return json;
    }

    private Task SnapshotAsync(HttpContext http) => WriteAsync(http, SnapshotJson());

    private Task TerminateAllocationAsync(HttpContext http)
    {
        var command = Body(http, ClusterJsonContext.Default.TerminateCommandWire);
        var id = (string)http.Request.RouteValues["id"]!;
        var session = feed.LocalCurrent.Sessions.FirstOrDefault(s => s.Id == id);
        var allocation = state.GetSnapshot().Allocations.FirstOrDefault(a => a.Id == id);
        // A realm admin's command (scope set) ends only an allocation of that realm; any other id is "not live".
        if (allocation is null || (command?.Scope is { } scope && !string.Equals(scope, allocation.Realm, StringComparison.Ordinal)) || !control.TerminateAllocation(id))
            return WriteAsync(http, new TerminateResultWire(0), ClusterJsonContext.Default.TerminateResultWire);
        var wire = NodeSnapshotCodec.ToWire(session ?? new LiveSession(allocation, allocation.ClientAddress.ToString(), allocation.RelayedAddress.ToString(), 0, 0, feed.Node));
        return WriteAsync(http, new TerminateResultWire(1, wire), ClusterJsonContext.Default.TerminateResultWire);
    }

    private Task TerminateUserAsync(HttpContext http)
    {
        var command = Body(http, ClusterJsonContext.Default.TerminateCommandWire);
        if (command?.Realm is not { } realm || string.IsNullOrEmpty(command.User))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }
        var count = command.Scope is { } scope && !string.Equals(scope, realm, StringComparison.Ordinal) ? 0 : control.TerminateUser(realm, command.User);
        return WriteAsync(http, new TerminateResultWire(count), ClusterJsonContext.Default.TerminateResultWire);
    }

    private Task SetDrainAsync(HttpContext http, bool drain)
    {
        var changed = drain ? control.Drain() : control.Resume();
        var live = state.GetSnapshot().Allocations.Count;
        return WriteAsync(http, new DrainResultWire(control.IsDraining, changed, live), ClusterJsonContext.Default.DrainResultWire);
    }

    private static T? Body<T>(HttpContext http, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        var body = (byte[])http.Items[InternalRequestAuthentication.BodyItem]!;
        if (body.Length == 0) return null;
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task WriteAsync<T>(HttpContext http, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        WriteAsync(http, JsonSerializer.SerializeToUtf8Bytes(value, type));

    private static async Task WriteAsync(HttpContext http, byte[] json)
    {
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = json.Length;
        await http.Response.Body.WriteAsync(json, http.RequestAborted);
    }

    private sealed record CachedSnapshot(LiveSnapshot Source, byte[] Json);
}
