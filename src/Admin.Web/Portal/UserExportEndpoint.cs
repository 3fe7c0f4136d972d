using Admin.Data.Administration;
using Admin.Data.Exports;

namespace Admin.Web.Portal;

/// <summary>
/// GET /realms/{realm}/users.csv: a realm's users as "user,hmackey" CSV (<see cref="UserExport"/>), streamed. Needs a
/// signed-in admin (the portal's fallback policy) allowed to manage the realm (checked by the export, which also
/// audits it before the first row); a refusal is an RFC 9457 problem, never a partial file.
/// </summary>
public static class UserExportEndpoint
{
    public const string Pattern = "/realms/{realm}/users.csv";

    public static string PathFor(string realm) => $"realms/{Uri.EscapeDataString(realm)}/users.csv";

    public static IEndpointRouteBuilder MapUserExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Pattern, ExportAsync);
        return endpoints;
    }

    private static async Task<IResult> ExportAsync(string realm, HttpContext http, UserExport exports, CancellationToken cancellationToken)
    {
        var actor = PortalActor.From(http.User, http.Connection.RemoteIpAddress?.ToString());
        CsvExport export;
        try
        {
            export = await exports.StartAsync(actor, realm, cancellationToken);
        }
        catch (AdminOperationException e)
        {
            return Results.Problem(e.Message, statusCode: e.Code switch
            {
                AdminErrorCode.Forbidden => StatusCodes.Status403Forbidden,
                AdminErrorCode.NotFound => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status400BadRequest,
            });
        }
        await using (export)
        {
            http.Response.ContentType = CsvExport.ContentType;
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{UserExport.FileName(realm)}\"";
            http.Response.Headers.CacheControl = "no-store";
            await export.WriteToAsync(http.Response.Body, cancellationToken);
        }
        return Results.Empty;
    }
}
