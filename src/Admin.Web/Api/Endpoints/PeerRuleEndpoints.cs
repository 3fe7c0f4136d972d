using Admin.Data.Administration;
using Admin.Web.Api.Contracts;
using Admin.Web.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>
/// Peer allow/deny ranges: /peer-rules holds the global ones (changing them needs a superuser),
/// /realms/{realm}/peer-rules a realm's. Ranges contain '/', so deletes name them in the query. The relay's built-in
/// denials are a floor: a realm admin's allow rule that overlaps one (or a global deny rule) is refused with 400 on
/// "range"; a superuser's global allow rule overlapping one is an exception to it (listed in builtInDenials).
/// </summary>
internal static class PeerRuleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var global = api.MapGroup("/peer-rules").WithTags("Peer rules");
        global.MapGet("/", (HttpContext http, PeerRuleAdministration rules, CancellationToken ct) => List("", http, rules, ct))
            .WithName("ListGlobalPeerRules");
        global.MapPost("/", (PeerRuleRequest request, HttpContext http, PeerRuleAdministration rules, CancellationToken ct) => Add("", request, http, rules, ct))
            .WithName("AddGlobalPeerRule").WithSummary("Adds a global rule (superuser): kind allow|deny, range address|CIDR|a-b. A global allow rule may make an exception to a built-in denial.");
        global.MapDelete("/", (string? kind, string? range, HttpContext http, PeerRuleAdministration rules, CancellationToken ct) => Delete("", kind, range, http, rules, ct))
            .WithName("DeleteGlobalPeerRule").WithSummary("Deletes ?kind=allow|deny&range=... (superuser).");

        var realm = api.MapGroup("/realms/{realm}/peer-rules").WithTags("Peer rules");
        realm.MapGet("/", List).WithName("ListRealmPeerRules");
        realm.MapPost("/", Add).WithName("AddRealmPeerRule")
            .WithSummary("Adds a realm rule. A realm admin's allow rule may not overlap a built-in denial or a global deny rule (400 on range).");
        realm.MapDelete("/", Delete).WithName("DeleteRealmPeerRule").WithSummary("Deletes ?kind=allow|deny&range=...");
    }

    private static async Task<Ok<IReadOnlyList<PeerRuleResponse>>> List(string realm, HttpContext http, PeerRuleAdministration rules, CancellationToken ct)
    {
        var list = await rules.ListAsync(ApiActor.Of(http), realm, ct);
        return TypedResults.Ok<IReadOnlyList<PeerRuleResponse>>(list.Select(r => ToResponse(r, rules)).ToList());
    }

    private static async Task<Created<PeerRuleResponse>> Add(string realm, PeerRuleRequest request, HttpContext http, PeerRuleAdministration rules, CancellationToken ct)
    {
        var rule = await rules.AddAsync(ApiActor.Of(http), realm, ParseKind(request.Kind), request.Range ?? "", ct);
        var path = realm.Length == 0 ? "/api/v1/peer-rules" : $"/api/v1/realms/{Uri.EscapeDataString(realm)}/peer-rules";
        return TypedResults.Created(path, ToResponse(rule, rules));
    }

    private static async Task<NoContent> Delete(string realm, string? kind, string? range, HttpContext http, PeerRuleAdministration rules, CancellationToken ct)
    {
        var parsed = ParseKind(kind);
        if (string.IsNullOrEmpty(range)) throw ApiProblems.Invalid("range", "Give the range to delete: ?kind=deny&range=10.0.0.0/8");
        await rules.DeleteAsync(ApiActor.Of(http), realm, parsed, range, ct);
        return TypedResults.NoContent();
    }

    private static PeerRuleKind ParseKind(string? kind) => kind?.ToLowerInvariant() switch
    {
        "allow" => PeerRuleKind.Allow,
        "deny" => PeerRuleKind.Deny,
        _ => throw ApiProblems.Invalid("kind", "The kind must be 'allow' or 'deny'."),
    };

    private static PeerRuleResponse ToResponse(PeerRule r, PeerRuleAdministration rules) => new(r.Realm, r.Kind == PeerRuleKind.Allow ? "allow" : "deny", r.Range,
        r.Kind == PeerRuleKind.Allow ? rules.BuiltInDenialsOverlapping(r.Range).Select(d => d.Reason).ToList() : []);
}
