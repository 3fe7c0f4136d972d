namespace Admin.Data.Administration;

/// <summary>
/// What an API token may do. <see cref="Full"/>: everything its admin may (the admin's realm scoping applies as it is
/// at each request). <see cref="Vend"/>: only POST /api/v1/realms/{realm}/ice-servers of <see cref="ApiTokenScope.Realm"/>,
/// for an app server that hands out TURN credentials and must not be able to change anything. The host enforces it on
/// every endpoint (default deny: an endpoint must opt in to vend-only tokens).
/// </summary>
public sealed record ApiTokenScope(ApiTokenScopeKind Kind, string? Realm)
{
    public const string FullName = "full";
    public const string VendName = "vend";

    public static readonly ApiTokenScope FullAccess = new(ApiTokenScopeKind.Full, null);

    public static ApiTokenScope VendOnly(string realm) => new(ApiTokenScopeKind.Vend, realm);

    /// <summary>The stored and displayed word: "full" or "vend".</summary>
    public string Name => Kind == ApiTokenScopeKind.Vend ? VendName : FullName;

    /// <summary>"full" or "vend:realm", as the portal and the CLI show it.</summary>
    public override string ToString() => Kind == ApiTokenScopeKind.Vend ? $"{VendName}:{Realm}" : FullName;

    /// <summary>Parses "full", "vend:REALM" (or "vend" with <paramref name="realm"/>); null when malformed.</summary>
    public static ApiTokenScope? Parse(string? text, string? realm = null)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == FullName) return FullAccess;
        text = text.Trim();
        if (text == VendName) return string.IsNullOrWhiteSpace(realm) ? null : VendOnly(realm.Trim());
        if (text.StartsWith(VendName + ":", StringComparison.Ordinal) && text.Length > VendName.Length + 1) return VendOnly(text[(VendName.Length + 1)..]);
        return null;
    }
}
