namespace Admin.Data.Administration;

/// <summary>An API token as listed: never the token itself, only its recognisable prefix, and its scope.</summary>
public sealed record ApiTokenInfo(
    long Id, string AdminName, string Label, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, ApiTokenScope Scope)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
