using Admin.Data.Administration;
using Admin.Web.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>A realm's TURN REST API shared secrets. Lists show fingerprints; a value is returned only when added or generated.</summary>
internal static class SecretEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var secrets = api.MapGroup("/realms/{realm}/secrets").WithTags("Secrets");
        secrets.MapGet("/", List).WithName("ListSecrets").WithSummary("The realm's secrets by fingerprint.");
        secrets.MapPost("/", Add).WithName("AddSecret").WithSummary("Adds a given secret (several may be active, for rotation).");
        secrets.MapPost("/generate", Generate).WithName("GenerateSecret").WithSummary("Adds a strong random secret and returns it, once.");
        secrets.MapDelete("/{secret}", Delete).WithName("DeleteSecret").WithSummary("Deletes a secret given by fingerprint (or value).");
    }

    private static async Task<Ok<IReadOnlyList<SecretResponse>>> List(string realm, HttpContext http, SecretAdministration secrets, CancellationToken ct)
    {
        var list = await secrets.ListAsync(ApiActor.Of(http), realm, ct);
        return TypedResults.Ok<IReadOnlyList<SecretResponse>>(list.Select(s => new SecretResponse(s.Realm, s.Fingerprint)).ToList());
    }

    private static async Task<Created<SecretResponse>> Add(string realm, SecretRequest request, HttpContext http, SecretAdministration secrets, CancellationToken ct) =>
        Created(await secrets.AddAsync(ApiActor.Of(http), realm, request.Value ?? "", ct));

    private static async Task<Created<SecretResponse>> Generate(string realm, HttpContext http, SecretAdministration secrets, CancellationToken ct) =>
        Created(await secrets.GenerateAsync(ApiActor.Of(http), realm, ct));

    private static async Task<NoContent> Delete(string realm, string secret, HttpContext http, SecretAdministration secrets, CancellationToken ct)
    {
        await secrets.DeleteAsync(ApiActor.Of(http), realm, secret, ct);
        return TypedResults.NoContent();
    }

    private static Created<SecretResponse> Created(SecretInfo s) =>
        TypedResults.Created($"/api/v1/realms/{Uri.EscapeDataString(s.Realm)}/secrets/{s.Fingerprint}", new SecretResponse(s.Realm, s.Fingerprint, s.Value));
}
