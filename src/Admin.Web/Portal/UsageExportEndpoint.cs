using System.Globalization;
using Admin.Data.Administration;
using Admin.Data.Exports;
using Admin.Data.Usage;

namespace Admin.Web.Portal;

/// <summary>
/// GET /usage/export.csv?from=...&amp;to=...&amp;realm=...&amp;node=...&amp;resolution=hour|day|minute — usage per user name
/// and period as CSV (<see cref="UsageExport"/>), for billing. Needs a signed-in admin or an API token
/// ("Authorization: Bearer", full scope); a realm admin gets their realm only. Refusals are plain-text 400/403, an unreachable database 503, before any CSV is sent.
/// </summary>
public static class UsageExportEndpoint
{
    public const string Path = "/usage/export.csv";

    public static void MapUsageExport(this WebApplication app) =>
        app.MapGet(Path, ExportAsync).RequireAuthorization(Api.ApiExtensions.PortalOrTokenPolicy);

    private static async Task ExportAsync(HttpContext http, UsageExport exports, string? from, string? to, string? realm, string? node, string? resolution)
    {
        if (!TryParse(from, out var start) || !TryParse(to, out var end))
        {
            await BadRequestAsync(http, "from and to must be ISO 8601 dates or times (UTC), e.g. from=2026-11-01&to=2026-12-01.");
            return;
        }
        var bucket = UsageResolution.Day;
        if (resolution is { Length: > 0 } && (!Enum.TryParse(resolution, ignoreCase: true, out bucket) || !Enum.IsDefined(bucket)))
        {
            await BadRequestAsync(http, "resolution must be minute, hour or day.");
            return;
        }
        var actor = PortalActor.From(http.User, http.Connection.RemoteIpAddress?.ToString());
        CsvExport export;
        try
        {
            export = await exports.StartAsync(actor, new UsageFilter(start, end, string.IsNullOrEmpty(realm) ? null : realm, string.IsNullOrEmpty(node) ? null : node),
                bucket, http.RequestAborted);
        }
        catch (AdminOperationException e)
        {
            http.Response.StatusCode = e.Code == AdminErrorCode.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync(e.Message);
            return;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync("The database is unreachable; try again shortly.");
            return;
        }
        await using (export)
        {
            http.Response.ContentType = CsvExport.ContentType;
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{UsageExport.FileName(start, end)}\"";
            await export.WriteToAsync(http.Response.Body, http.RequestAborted);
        }
    }

    internal static bool TryParse(string? value, out DateTimeOffset result) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out result);

    private static async Task BadRequestAsync(HttpContext http, string message)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.Response.WriteAsync(message);
    }
}
