namespace Turn.Relay.Auth;

/// <summary>Keys to try for a request's MESSAGE-INTEGRITY; none when the user is unknown or expired.</summary>
internal sealed record CredentialLookup(IReadOnlyList<byte[]> Keys, bool IsExpired)
{
    public static readonly CredentialLookup Unknown = new([], false);

    public static readonly CredentialLookup Expired = new([], true);
}
