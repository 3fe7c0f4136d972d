using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Auth;

/// <summary>
/// Finds the candidate long-term keys for a (realm, username): the realm's TURN REST secrets when
/// the username is "expiry:user" (one key per secret: any may have signed it), else the stored key.
/// </summary>
internal sealed class CredentialResolver(ICredentialStore store, TimeProvider time)
{
    public async ValueTask<CredentialLookup> ResolveAsync(string realm, string username, CancellationToken cancellationToken)
    {
        if (TurnRestCredential.TryParseUsername(username, out var expiresAt, out _))
        {
            var secrets = await store.GetSharedSecretsAsync(realm, cancellationToken).ConfigureAwait(false);
            if (secrets.Count > 0)
            {
                if (expiresAt <= time.GetUtcNow()) return CredentialLookup.Expired;
                var keys = new byte[secrets.Count][];
                for (var i = 0; i < secrets.Count; i++) keys[i] = TurnRestCredential.ComputeLongTermKey(secrets[i], username, realm);
                return new CredentialLookup(keys, false, secrets);
            }
        }
        var key = await store.GetLongTermKeyAsync(realm, username, cancellationToken).ConfigureAwait(false);
        return key is null ? CredentialLookup.Unknown : new CredentialLookup([key], false);
    }
}
