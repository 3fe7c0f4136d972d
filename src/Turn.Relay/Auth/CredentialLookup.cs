namespace Turn.Relay.Auth;

/// <summary>
/// Keys to try for a request's MESSAGE-INTEGRITY; none when the user is unknown or expired. For a TURN REST
/// username, <see cref="Secrets"/> holds the realm secret behind each key (same order), so the engine can record
/// which secret signed an allocation; null for a stored long-term key. <see cref="TenantRealm"/> is the realm the
/// credential belongs to and <see cref="QuotaUser"/> the name quotas count it under (see <see cref="CredentialResolver"/>).
/// </summary>
internal sealed record CredentialLookup(IReadOnlyList<byte[]> Keys, bool IsExpired, string TenantRealm, string QuotaUser,
    IReadOnlyList<string>? Secrets = null)
{
    public static CredentialLookup Unknown(string realm, string user) => new([], false, realm, user);

    public static CredentialLookup Expired(string realm, string user) => new([], true, realm, user);
}
