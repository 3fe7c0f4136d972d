namespace Turn.Relay.Auth;

internal enum NonceCheck
{
    /// <summary>Not a nonce this server issued to this client for the request's REALM: 401 with a fresh nonce.</summary>
    Invalid,

    /// <summary>Ours, for this client and realm, but expired: 438 with a fresh nonce for the same realm.</summary>
    Stale,

    Valid,
}
