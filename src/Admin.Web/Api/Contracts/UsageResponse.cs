namespace Admin.Web.Api.Contracts;

/// <summary>
/// GET /api/v1/usage: usage in [from, to) at one resolution. Every byte figure is in bytes (unit "B", no prefix);
/// allocation time in seconds. <c>users</c> groups TURN REST credentials by their user part (expiry:user[@realm] →
/// user); GET /api/v1/usage/credentials lists one user's raw user names. <c>node</c> set: per-minute rows of that
/// node only (hourly and daily rows are summed over nodes, so they drop out).
/// </summary>
public sealed record UsageResponse(
    DateTimeOffset From, DateTimeOffset To, string Resolution, string Unit, string? Realm, string? Node,
    IReadOnlyList<UsageRealmTotals> Realms, IReadOnlyList<UsageUserTotals> Users, IReadOnlyList<UsagePeriodTotals> Series);
