using System.Runtime.CompilerServices;
using System.Text;
using Admin.Data.Administration;

namespace Admin.Web.Portal;

/// <summary>
/// GET /realms/{realm}/users.csv: a realm's users as "user,hmackey" CSV, streamed. Needs a signed-in admin
/// (the portal's fallback policy) allowed to manage the realm (checked by the service, which also audits the
/// export before the first row); a refusal is an RFC 9457 problem, never a partial file.
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

    private static async Task<IResult> ExportAsync(string realm, HttpContext http, UserAdministration users, CancellationToken cancellationToken)
    {
        var actor = PortalActor.From(http.User, http.Connection.RemoteIpAddress?.ToString());
        var rows = users.ExportAsync(actor, realm, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            bool any;
            try
            {
                // The first step checks access, checks the realm and writes the audit row.
                any = await rows.MoveNextAsync();
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
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"users-{realm}.csv\"";
            http.Response.Headers.CacheControl = "no-store";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
            await UserCsv.WriteAsync(writer, Continue(rows, any, cancellationToken), cancellationToken);
            await writer.FlushAsync(cancellationToken);
            return Results.Empty;
        }
        finally
        {
            await rows.DisposeAsync();
        }
    }

    private static async IAsyncEnumerable<UserKeyRow> Continue(IAsyncEnumerator<UserKeyRow> rows, bool hasCurrent, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!hasCurrent) yield break;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return rows.Current;
        }
        while (await rows.MoveNextAsync());
    }
}
