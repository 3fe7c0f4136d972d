namespace Admin.Data.Entities;

/// <summary>An API token of an admin: shown once at creation, stored only as a hash.</summary>
public sealed class AdminApiToken
{
    public long Id { get; set; }

    public string AdminName { get; set; } = "";

    /// <summary>The admin's label for the token ("ci", "provisioning").</summary>
    public string Label { get; set; } = "";

    /// <summary>A short non-secret prefix of the token, shown in lists to tell tokens apart.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the whole token (tokens are long random strings, so no slow hash is needed).</summary>
    public byte[] TokenHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>"full" or "vend" (<see cref="Administration.ApiTokenScope"/>); existing tokens are "full".</summary>
    public string Scope { get; set; } = Administration.ApiTokenScope.FullName;

    /// <summary>The one realm a "vend" token may vend credentials of; null for "full".</summary>
    public string? ScopeRealm { get; set; }

    public AdminUser? Admin { get; set; }
}
