using Admin.Data.Usage;
using Admin.Web.Api.Contracts;
using Admin.Web.Api.Problems;
using Admin.Web.Portal;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>
/// GET /usage and /usage/credentials: the Usage page's figures for billing scripts, with the page's filters (range,
/// realm, node) and resolutions. A realm admin's token sees its realm only.
/// </summary>
internal static class UsageEndpoints
{
    public const int DefaultTake = 100;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/usage", Summary).WithTags("Usage").WithName("GetUsage")
            .WithSummary("Usage in [from, to) (ISO 8601 dates or times, UTC; default the last 7 days): per-realm totals, users (TURN REST "
                + "credentials grouped by user part, top ?take=100 by traffic) and a series per ?resolution=minute|hour|day (default by range length). "
                + "Filters ?realm=, ?node=. Bytes in bytes.");
        api.MapGet("/usage/credentials", Credentials).WithTags("Usage").WithName("GetUsageCredentials")
            .WithSummary("The raw user names behind one user of GET /usage: ?realm= and ?user= required; same range and ?node= filters.");
    }

    private static async Task<Ok<UsageResponse>> Summary(string? from, string? to, string? realm, string? node, string? resolution, int? take,
        HttpContext http, UsageBilling billing, CancellationToken ct)
    {
        var filter = Filter(from, to, realm, node);
        var bucket = Resolution(resolution, filter);
        var actor = ApiActor.Of(http);
        var realms = await billing.RealmTotalsAsync(actor, filter, ct);
        var users = await billing.AccountsAsync(actor, filter, take ?? DefaultTake, ct);
        var series = await billing.SeriesAsync(actor, filter, bucket, null, ct);
        return TypedResults.Ok(new UsageResponse(filter.From, filter.To, UsageResolutions.Name(bucket), "B", filter.Realm, filter.Node,
            realms.Select(r => new UsageRealmTotals(r.Realm, r.BytesIn, r.BytesOut, r.PacketsIn, r.PacketsOut, r.AllocationSeconds)).ToList(),
            users.Select(u => new UsageUserTotals(u.Realm, u.User, u.Credentials, u.RestCredentials, u.BytesIn, u.BytesOut, u.PacketsIn, u.PacketsOut, u.AllocationSeconds)).ToList(),
            series.Select(p => new UsagePeriodTotals(p.Minute, p.BytesIn, p.BytesOut, p.AllocationSeconds)).ToList()));
    }

    private static async Task<Ok<IReadOnlyList<UsageCredentialTotals>>> Credentials(string? realm, string? user, string? from, string? to, string? node, int? take,
        HttpContext http, UsageBilling billing, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(realm)) throw ApiProblems.Invalid("realm", "Name the realm (?realm=).");
        if (user is null) throw ApiProblems.Invalid("user", "Name the user (?user=), as GET /usage lists it.");
        var filter = Filter(from, to, realm, node);
        var rows = await billing.CredentialsAsync(ApiActor.Of(http), filter, realm, user, take ?? DefaultTake, ct);
        return TypedResults.Ok<IReadOnlyList<UsageCredentialTotals>>(
            rows.Select(r => new UsageCredentialTotals(r.Name!, r.BytesIn, r.BytesOut, r.PacketsIn, r.PacketsOut, r.AllocationSeconds)).ToList());
    }

    /// <summary>The page's default range (the last 7 UTC days, today included) unless from/to say otherwise.</summary>
    internal static UsageFilter Filter(string? from, string? to, string? realm, string? node)
    {
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var start = today.AddDays(-6);
        var end = today.AddDays(1);
        if (!string.IsNullOrEmpty(from) && !UsageExportEndpoint.TryParse(from, out start))
            throw ApiProblems.Invalid("from", "'from' must be an ISO 8601 date or time (UTC), e.g. 2026-11-01.");
        if (!string.IsNullOrEmpty(to) && !UsageExportEndpoint.TryParse(to, out end))
            throw ApiProblems.Invalid("to", "'to' must be an ISO 8601 date or time (UTC), e.g. 2026-12-01.");
        return new UsageFilter(start, end, string.IsNullOrEmpty(realm) ? null : realm, string.IsNullOrEmpty(node) ? null : node);
    }

    private static UsageResolution Resolution(string? value, UsageFilter filter)
    {
        if (string.IsNullOrEmpty(value)) return UsageResolutions.For(filter.From, filter.To);
        return Enum.TryParse<UsageResolution>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw ApiProblems.Invalid("resolution", "'resolution' must be minute, hour or day.");
    }
}
