namespace Turn.Relay.Auth;

/// <summary>
/// Keys to try for a request's MESSAGE-INTEGRITY; none when the user is unknown or expired. For a TURN REST
/// username, <see cref="Secrets"/> holds the realm secret behind each key (same order), so the engine can record
/// which secret signed an allocation; null for a stored long-term key.
/// </summary>
internal sealed record CredentialLookup(IReadOnlyList<byte[]> Keys, bool IsExpired, IReadOnlyList<string>? Secrets = null)
{
    public static readonly CredentialLookup Unknown = new([], false);

    public static readonly CredentialLookup Expired = new([], true);
}
