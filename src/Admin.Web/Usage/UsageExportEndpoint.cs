using System.Globalization;
using System.Text;
using Admin.Data.Administration;
using Admin.Data.Usage;
using Admin.Web.Portal;

namespace Admin.Web.Usage;

/// <summary>
/// GET /usage/export.csv?from=...&amp;to=...&amp;realm=...&amp;resolution=hour|day|minute — usage per user and period as
/// CSV, for billing. Needs a signed-in admin (the portal's fallback policy); a realm admin gets their realm only.
/// </summary>
public static class UsageExportEndpoint
{
    public const string Path = "/usage/export.csv";

    public static void MapUsageExport(this WebApplication app) => app.MapGet(Path, ExportAsync);

    private static async Task ExportAsync(HttpContext http, UsageReports reports, string? from, string? to, string? realm, string? resolution)
    {
        if (!TryParse(from, out var start) || !TryParse(to, out var end))
        {
            await BadRequestAsync(http, "from and to must be ISO 8601 dates or times (UTC), e.g. from=2026-11-01&to=2026-12-01.");
            return;
        }
        var bucket = UsageResolution.Day;
        if (resolution is { Length: > 0 } && !Enum.TryParse(resolution, ignoreCase: true, out bucket))
        {
            await BadRequestAsync(http, "resolution must be minute, hour or day.");
            return;
        }
        var actor = PortalActor.From(http.User, http.Connection.RemoteIpAddress?.ToString());
        IAsyncEnumerator<UsageRow> rows;
        UsageRow? first;
        try
        {
            // Read the first row before sending headers, so bad input or a missing database is a clean error.
            rows = reports.ExportAsync(actor, realm, start, end, bucket, http.RequestAborted).GetAsyncEnumerator(http.RequestAborted);
            first = await rows.MoveNextAsync() ? rows.Current : null;
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
        await using (rows)
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"turnstone-usage-{start:yyyyMMdd}-{end:yyyyMMdd}.csv\"";
            await http.Response.WriteAsync("period_start,realm,user,bytes_in,bytes_out,packets_in,packets_out,allocation_seconds\n");
            var line = new StringBuilder();
            for (var row = first; row is not null; row = await rows.MoveNextAsync() ? rows.Current : null)
            {
                line.Clear()
                    .Append(row.PeriodStart.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                    .Append(Csv(row.Realm)).Append(',').Append(Csv(row.Name)).Append(',')
                    .Append(row.BytesIn.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(row.BytesOut.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(row.PacketsIn.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(row.PacketsOut.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(row.AllocationSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
                await http.Response.WriteAsync(line.ToString());
            }
        }
    }

    internal static bool TryParse(string? value, out DateTimeOffset result) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out result);

    // RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula.
    internal static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static async Task BadRequestAsync(HttpContext http, string message)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.Response.WriteAsync(message);
    }
}
