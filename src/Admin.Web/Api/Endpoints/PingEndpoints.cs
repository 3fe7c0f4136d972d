using Admin.Web.Api.Contracts;
using Admin.Web.Api.Tokens;
using Admin.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Turn.Relay.Seams;

namespace Admin.Web.Api.Endpoints;

/// <summary>GET /ping (anonymous: is the API up) and GET /whoami (which admin a token acts as).</summary>
internal static class PingEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/ping", Ping).AllowAnonymous().WithName("Ping").WithSummary("Answers when the API is up, with the version and commit it runs; needs no token.");
        api.MapGet("/whoami", WhoAmI).WithName("WhoAmI").WithSummary("The admin the token acts as, and its realm scope.");
    }

    private static Ok<PingResponse> Ping() =>
        TypedResults.Ok(new PingResponse("ok", BuildInfo.Version, BuildInfo.Commit));

    private static Ok<WhoAmIResponse> WhoAmI(HttpContext http)
    {
        var actor = ApiActor.Of(http);
        var tokenId = long.Parse(http.User.FindFirst(ApiTokenAuthenticationHandler.TokenIdClaim)!.Value, System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(new WhoAmIResponse(actor.Name, AdminClaims.GetRealm(http.User), actor.IsSuperuser, tokenId));
    }
}
