using Admin.Data.RelayCommands;
using Admin.Web.Api.Contracts;
using Admin.Web.Live;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>The relay's drain state: read by any admin, changed by superusers only (it concerns every realm).</summary>
internal static class RelayEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var relay = api.MapGroup("/relay").WithTags("Relay");
        relay.MapGet("/", Status).WithName("RelayStatus").WithSummary("Whether the relay is draining, and how many allocations are live.");
        relay.MapPost("/drain", Drain).WithName("DrainRelay")
            .WithSummary("Refuses new allocations (508) while live ones run on until they end: before a restart or a move. Superusers only.");
        relay.MapDelete("/drain", Resume).WithName("ResumeRelay").WithSummary("Accepts new allocations again. Superusers only.");
    }

    private static Ok<RelayStatusResponse> Status(HttpContext http, RelayDrain drain, LiveRelayFeed feed) =>
        TypedResults.Ok(new RelayStatusResponse(drain.IsDraining, LiveCount(http, feed)));

    private static async Task<Ok<RelayStatusResponse>> Drain(HttpContext http, RelayDrain drain, LiveRelayFeed feed) =>
        Answer(http, await drain.DrainAsync(ApiActor.Of(http)), feed);

    private static async Task<Ok<RelayStatusResponse>> Resume(HttpContext http, RelayDrain drain, LiveRelayFeed feed) =>
        Answer(http, await drain.ResumeAsync(ApiActor.Of(http)), feed);

    // "audited" only when the request changed something (asking for the current state writes no row).
    private static Ok<RelayStatusResponse> Answer(HttpContext http, DrainResult result, LiveRelayFeed feed) =>
        TypedResults.Ok(new RelayStatusResponse(result.Draining, LiveCount(http, feed), result.Changed ? result.AuditWritten : null));

    private static int LiveCount(HttpContext http, LiveRelayFeed feed)
    {
        var actor = ApiActor.Of(http);
        return new SessionQuery(actor.IsSuperuser ? null : actor.Realm).Filter(feed.Current).Count;
    }
}
