using Admin.Data.Administration;
using Admin.Web.Api.Contracts;
using Admin.Web.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>The audit log, newest first; a realm admin sees only their realm's rows.</summary>
internal static class AuditEndpoints
{
    public const int DefaultPageSize = 50;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", List).WithTags("Audit").WithName("ListAudit")
            .WithSummary("Filters ?admin=, ?realm=, ?action=, ?from=, ?to= (ISO 8601, [from, to)); paging ?skip=0&take=50.");
    }

    private static async Task<Ok<Page<AuditRecord>>> List(
        string? admin, string? realm, string? action, DateTimeOffset? from, DateTimeOffset? to, int? skip, int? take,
        HttpContext http, AuditLogQueries audit, CancellationToken ct)
    {
        if (from is { } f && to is { } t && t < f) throw ApiProblems.Invalid("to", "'to' is before 'from'.");
        var offset = skip ?? 0;
        var size = take ?? DefaultPageSize;
        var query = new AuditQuery(Blank(admin), Blank(realm), Blank(action), from, to);
        var page = await audit.ListAsync(ApiActor.Of(http), query, offset, size, ct);
        return TypedResults.Ok(new Page<AuditRecord>(page.Items, page.TotalCount, offset, size));
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
