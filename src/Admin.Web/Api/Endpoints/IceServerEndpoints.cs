using Admin.Web.Api.Contracts;
using Admin.Web.Api.IceServers;
using Admin.Web.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Admin.Web.Api.Endpoints;

/// <summary>POST /realms/{realm}/ice-servers: fresh ephemeral TURN credentials, rate-limited per token.</summary>
internal static class IceServerEndpoints
{
    public const string RateLimitPolicy = "ice-servers";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/realms/{realm}/ice-servers", Vend).WithTags("Credentials").WithName("VendIceServers")
            .WithSummary("Ephemeral TURN credentials and URLs (RTCIceServer) signed with the realm's newest secret; body { ttl, label } optional.")
            // The body is optional and read by hand: a bound body parameter (or Accepts metadata) makes routing refuse a
            // bodiless POST, so the document learns about the body from this transformer instead.
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var schema = await context.GetOrCreateSchemaAsync(typeof(IceServersRequest), null, cancellationToken);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = false,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            })
            .RequireRateLimiting(RateLimitPolicy)
            // The one endpoint a vend-only token may call (for its own realm).
            .WithMetadata(Tokens.VendScopeAllowed.Instance)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<Ok<IceServersResponse>> Vend(string realm, HttpContext http, IceServerVending vending, CancellationToken ct)
    {
        IceServersRequest? request = null;
        if (http.Request.ContentLength is not 0 && http.Request.HasJsonContentType())
        {
            try
            {
                request = await http.Request.ReadFromJsonAsync<IceServersRequest>(ct);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw ApiProblems.Invalid("request", "The body is not valid JSON: " + e.Message);
            }
        }
        return TypedResults.Ok(await vending.VendAsync(ApiActor.Of(http), realm, request ?? new IceServersRequest(), http.Request, ct));
    }
}
