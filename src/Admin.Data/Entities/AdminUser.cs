namespace Admin.Data.Entities;

/// <summary>
/// A portal administrator: coturn's admin_user (name, realm, password), where an empty or null realm
/// means superuser, plus Turnstone's lockout and timestamp columns (coturn ignores them).
/// </summary>
public sealed class AdminUser
{
    public string Name { get; set; } = "";

    /// <summary>"" or null: superuser; otherwise the only realm this admin may see and change.</summary>
    public string? Realm { get; set; }

    /// <summary>A password hash: ASP.NET Core PasswordHasher output, or coturn's "$5$" SHA-256 crypt.</summary>
    public string? Password { get; set; }

    public int FailedLoginCount { get; set; }

    public DateTimeOffset? LockoutUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }

    /// <summary>Bumped by a sign-out: part of the session stamp, so every cookie issued before it stops working.</summary>
    public int SessionEpoch { get; set; }

    /// <summary>The portal theme this admin chose: "light", "dark", or null to follow the browser's prefers-color-scheme.</summary>
    public string? Theme { get; set; }

    /// <summary>PostgreSQL xmin, for optimistic concurrency.</summary>
    public uint Version { get; set; }

    public List<AdminApiToken> ApiTokens { get; set; } = [];
}
