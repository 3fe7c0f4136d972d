using Admin.Data.Administration;
using Admin.Web.Api.Contracts;
using Admin.Web.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>Realms, their options (quotas, bandwidth), origins and host names. Adding and deleting realms needs a superuser.</summary>
internal static class RealmEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var realms = api.MapGroup("/realms").WithTags("Realms");
        realms.MapGet("/", List).WithName("ListRealms").WithSummary("Realms the token's admin may see.");
        realms.MapPost("/", Add).WithName("AddRealm").WithSummary("Adds a realm (superuser).");
        realms.MapGet("/{realm}", Get).WithName("GetRealm");
        realms.MapPut("/{realm}", Update).WithName("UpdateRealm").WithSummary("Changes the description.");
        realms.MapDelete("/{realm}", Delete).WithName("DeleteRealm")
            .WithSummary("Deletes the realm with its users, secrets, options, peer rules, origins and host names (superuser); answers what was removed.");
        realms.MapGet("/{realm}/impact", Impact).WithName("GetRealmImpact").WithSummary("What deleting the realm would remove.");
        realms.MapGet("/{realm}/options", GetOptions).WithName("GetRealmOptions").WithSummary("user-quota, total-quota, max-bps (null = server default).");
        realms.MapPut("/{realm}/options", SetOptions).WithName("SetRealmOptions").WithSummary("Sets all three options; null removes one.");
        realms.MapGet("/{realm}/origins", ListOrigins).WithName("ListRealmOrigins");
        realms.MapPost("/{realm}/origins", AddOrigin).WithName("AddRealmOrigin")
            .WithSummary("Maps an ORIGIN to the realm; answers it as stored (coturn's canonical form, e.g. https://app.example.org:443).");
        realms.MapDelete("/{realm}/origins", RemoveOrigin).WithName("RemoveRealmOrigin").WithSummary("Removes ?origin=... from the realm.");
        realms.MapGet("/{realm}/host-names", ListHostNames).WithName("ListRealmHostNames");
        realms.MapPost("/{realm}/host-names", AddHostName).WithName("AddRealmHostName")
            .WithSummary("Adds a DNS name clients reach the realm by (TLS SNI, vended URLs); answers it as stored (lower case).");
        realms.MapDelete("/{realm}/host-names", RemoveHostName).WithName("RemoveRealmHostName").WithSummary("Removes ?hostName=... from the realm.");
    }

    private static async Task<Ok<IReadOnlyList<RealmInfo>>> List(HttpContext http, RealmAdministration realms, CancellationToken ct) =>
        TypedResults.Ok(await realms.ListAsync(ApiActor.Of(http), ct));

    private static async Task<Created<RealmInfo>> Add(RealmCreateRequest request, HttpContext http, RealmAdministration realms, CancellationToken ct)
    {
        var realm = await realms.AddAsync(ApiActor.Of(http), request.Name ?? "", request.Description, ct);
        return TypedResults.Created($"/api/v1/realms/{Uri.EscapeDataString(realm.Name)}", realm);
    }

    private static async Task<Ok<RealmInfo>> Get(string realm, HttpContext http, RealmAdministration realms, CancellationToken ct) =>
        TypedResults.Ok(await realms.GetAsync(ApiActor.Of(http), realm, ct));

    private static async Task<Ok<RealmInfo>> Update(string realm, RealmUpdateRequest request, HttpContext http, RealmAdministration realms, CancellationToken ct) =>
        TypedResults.Ok(await realms.UpdateDescriptionAsync(ApiActor.Of(http), realm, request.Description, request.Version, ct));

    private static async Task<Ok<RealmImpact>> Delete(string realm, HttpContext http, RealmAdministration realms, CancellationToken ct) =>
        TypedResults.Ok(await realms.DeleteAsync(ApiActor.Of(http), realm, ct));

    private static async Task<Ok<RealmImpact>> Impact(string realm, HttpContext http, RealmAdministration realms, CancellationToken ct)
    {
        var actor = ApiActor.Of(http);
        await realms.GetAsync(actor, realm, ct); // 404 for a realm that does not exist, not a row of zeros
        return TypedResults.Ok(await realms.GetImpactAsync(actor, realm, ct));
    }

    private static async Task<Ok<RealmLimits>> GetOptions(string realm, HttpContext http, RealmAdministration realms, CancellationToken ct)
    {
        var actor = ApiActor.Of(http);
        await realms.GetAsync(actor, realm, ct);
        return TypedResults.Ok(await realms.GetLimitsAsync(actor, realm, ct));
    }

    private static async Task<Ok<RealmLimits>> SetOptions(string realm, RealmLimits request, HttpContext http, RealmAdministration realms, CancellationToken ct) =>
        TypedResults.Ok(await realms.SetLimitsAsync(ApiActor.Of(http), realm, request, ct));

    private static async Task<Ok<IReadOnlyList<string>>> ListOrigins(string realm, HttpContext http, RealmAdministration realms, CancellationToken ct)
    {
        var actor = ApiActor.Of(http);
        await realms.GetAsync(actor, realm, ct);
        return TypedResults.Ok(await realms.ListOriginsAsync(actor, realm, ct));
    }

    private static async Task<Created<OriginRequest>> AddOrigin(string realm, OriginRequest request, HttpContext http, RealmAdministration realms, CancellationToken ct)
    {
        var stored = await realms.AddOriginAsync(ApiActor.Of(http), realm, request.Origin ?? "", ct);
        return TypedResults.Created($"/api/v1/realms/{Uri.EscapeDataString(realm)}/origins", new OriginRequest(stored));
    }

    private static async Task<NoContent> RemoveOrigin(string realm, string? origin, HttpContext http, RealmAdministration realms, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(origin)) throw ApiProblems.Invalid("origin", "Give the origin to remove: ?origin=https://app.example.org");
        await realms.RemoveOriginAsync(ApiActor.Of(http), realm, origin, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<string>>> ListHostNames(string realm, HttpContext http, RealmAdministration realms, RealmEntryPoints entryPoints, CancellationToken ct)
    {
        var actor = ApiActor.Of(http);
        await realms.GetAsync(actor, realm, ct);
        return TypedResults.Ok(await entryPoints.ListHostNamesAsync(actor, realm, ct));
    }

    private static async Task<Created<HostNameRequest>> AddHostName(string realm, HostNameRequest request, HttpContext http, RealmEntryPoints entryPoints, CancellationToken ct)
    {
        var stored = await entryPoints.AddHostNameAsync(ApiActor.Of(http), realm, request.HostName ?? "", ct);
        return TypedResults.Created($"/api/v1/realms/{Uri.EscapeDataString(realm)}/host-names", new HostNameRequest(stored));
    }

    private static async Task<NoContent> RemoveHostName(string realm, string? hostName, HttpContext http, RealmEntryPoints entryPoints, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(hostName)) throw ApiProblems.Invalid("hostName", "Give the host name to remove: ?hostName=turn.example.org");
        await entryPoints.RemoveHostNameAsync(ApiActor.Of(http), realm, hostName, ct);
        return TypedResults.NoContent();
    }
}
