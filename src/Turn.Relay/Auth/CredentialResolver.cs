using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Auth;

/// <summary>
/// Finds the candidate long-term keys for a request, given the realm it was offered (its REALM) and its user name:
/// <list type="bullet">
/// <item>a TURN REST name "expiry:user[@realm]" (<see cref="TurnRestUser"/>): the secrets of the realm it names, or
/// of the offered realm, one key per secret (any may have signed it). The key is always
/// MD5(username:offered realm:base64(HMAC-SHA1(secret, whole username)));</item>
/// <item>otherwise, or when that realm has no secrets: the stored key of that user in the offered realm.</item>
/// </list>
/// Runs only after the pre-authentication stage (a nonce of ours for this client and realm).
/// </summary>
internal sealed class CredentialResolver(ICredentialStore store, IRealmDirectory realms, TimeProvider time)
{
    private readonly TurnRestKeyCache _restKeys = new();

    public async ValueTask<CredentialLookup> ResolveAsync(string offeredRealm, string username, CancellationToken cancellationToken)
    {
        if (TurnRestUser.TryParse(username, realms, out var rest))
        {
            var tenant = rest.Realm ?? offeredRealm;
            var secrets = await store.GetSharedSecretsAsync(tenant, cancellationToken).ConfigureAwait(false);
            if (secrets.Count > 0)
            {
                if (rest.ExpiresAt <= time.GetUtcNow()) return CredentialLookup.Expired(tenant, rest.UserPart);
                var keys = new byte[secrets.Count][];
                for (var i = 0; i < secrets.Count; i++) keys[i] = _restKeys.Get(secrets[i], username, offeredRealm);
                return new CredentialLookup(keys, false, tenant, rest.UserPart, secrets);
            }
        }
        var key = await store.GetLongTermKeyAsync(offeredRealm, username, cancellationToken).ConfigureAwait(false);
        return key is null ? CredentialLookup.Unknown(offeredRealm, username) : new CredentialLookup([key], false, offeredRealm, username);
    }

    /// <summary>
    /// A request authenticated with <paramref name="key"/>; when that was a TURN REST key (<paramref name="secret"/> not
    /// null), the next requests with the same name and realm reuse it instead of deriving it again.
    /// </summary>
    public void Authenticated(string? secret, string username, string offeredRealm, byte[] key)
    {
        if (secret is not null) _restKeys.Remember(secret, username, offeredRealm, key);
    }
}
