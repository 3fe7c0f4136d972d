namespace Turn.Relay.Auth;

internal enum NonceCheck
{
    /// <summary>Not a nonce this server issued to this client: treated like a stale one (438, new nonce).</summary>
    Invalid,
    Stale,
    Valid,
}
