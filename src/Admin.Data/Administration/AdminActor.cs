namespace Admin.Data.Administration;

/// <summary>
/// Who performs an operation, for authorization and the audit log.
/// <paramref name="Realm"/> null or "" means a superuser; otherwise the admin may only touch that realm
/// (coturn's admin_user semantics), which every service enforces.
/// </summary>
public sealed record AdminActor(string Name, string? Realm, string? ClientAddress)
{
    /// <summary>The server itself (bootstrap, migrations).</summary>
    public static readonly AdminActor System = new("system", null, null);

    public bool IsSuperuser => string.IsNullOrEmpty(Realm);

    /// <summary>The command line, run by an operating-system user with superuser rights.</summary>
    public static AdminActor CommandLine(string osUser) => new("cli:" + osUser, null, "local");

    public static AdminActor Superuser(string name, string? clientAddress) => new(name, null, clientAddress);

    public static AdminActor RealmAdmin(string name, string realm, string? clientAddress) => new(name, realm, clientAddress);
}
