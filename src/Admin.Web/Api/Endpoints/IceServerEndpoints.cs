using Admin.Web.Api.Contracts;
using Admin.Web.Api.IceServers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>POST /realms/{realm}/ice-servers: fresh ephemeral TURN credentials, rate-limited per token.</summary>
internal static class IceServerEndpoints
{
    public const string RateLimitPolicy = "ice-servers";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/realms/{realm}/ice-servers", Vend).WithTags("Credentials").WithName("VendIceServers")
            .WithSummary("Ephemeral TURN credentials and URLs (RTCIceServer) signed with the realm's newest secret; body { ttl, label } optional.")
            .RequireRateLimiting(RateLimitPolicy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<Ok<IceServersResponse>> Vend(
        string realm, IceServersRequest? request, HttpContext http, IceServerVending vending, CancellationToken ct) =>
        TypedResults.Ok(await vending.VendAsync(ApiActor.Of(http), realm, request ?? new IceServersRequest(), http.Request, ct));
}
