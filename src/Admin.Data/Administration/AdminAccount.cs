namespace Admin.Data.Administration;

/// <summary>An admin as listed: never the password hash. Realm null means superuser.</summary>
public sealed record AdminAccount(string Name, string? Realm, DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt, DateTimeOffset? LockoutUntil)
{
    public bool IsSuperuser => string.IsNullOrEmpty(Realm);
}
