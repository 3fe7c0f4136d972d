using Turn.Relay.Seams;

namespace Admin.Data.Credentials;

// The last-known-good side of the cache: what DatabaseOutage serves and LastKnownRevalidation checks.
public sealed partial class CredentialCache
{
    /// <summary>Entries kept for outages (users, realms' secrets, realms' policies).</summary>
    public int LastKnownCount => _lastUsers.Count + _lastSecrets.Count + _lastPolicies.Count;

    /// <summary>Last-known-good key of a user (never a negative answer), for <see cref="DatabaseOutage"/>.</summary>
    public bool TryGetLastKnownUser(string realm, string name, out byte[]? key)
    {
        var found = _lastUsers.TryGet((realm, name), _outage.Now, _outage.MaxAgeTicks, out var value);
        key = found ? value : null;
        return found;
    }

    /// <summary>
    /// The last-known-good user of <paramref name="realm"/> whose RFC 8489 USERHASH (SHA-256 of "name:realm") is
    /// <paramref name="userHash"/>, for <see cref="DatabaseOutage"/>. Hashes each remembered name of the realm (at most
    /// AdminData:CacheMaxEntries), which is only done while the database cannot be reached.
    /// </summary>
    public bool TryFindLastKnownUserByHash(string realm, ReadOnlySpan<byte> userHash, out string? name)
    {
        foreach (var (key, _) in _lastUsers.Snapshot())
        {
            if (!string.Equals(key.Realm, realm, StringComparison.Ordinal)) continue;
            // Still within OutageFallbackMaxAge, as for a lookup by name.
            if (Turn.Protocol.UserHash.Compute(key.Name, realm).AsSpan().SequenceEqual(userHash) && TryGetLastKnownUser(realm, key.Name, out _))
            {
                name = key.Name;
                return true;
            }
        }
        name = null;
        return false;
    }

    public bool TryGetLastKnownSecrets(string realm, out IReadOnlyList<string> secrets) =>
        _lastSecrets.TryGet(realm, _outage.Now, _outage.MaxAgeTicks, out secrets);

    public bool TryGetLastKnownPolicy(string realm, out RealmPolicy policy) =>
        _lastPolicies.TryGet(realm, _outage.Now, _outage.MaxAgeTicks, out policy);

    /// <summary>The last-known-good entries now, for <see cref="LastKnownRevalidation"/>.</summary>
    internal KeyValuePair<(string Realm, string Name), LastKnownGood<(string Realm, string Name), byte[]>.Entry>[] LastKnownUsers() => _lastUsers.Snapshot();

    internal KeyValuePair<string, LastKnownGood<string, IReadOnlyList<string>>.Entry>[] LastKnownSecrets() => _lastSecrets.Snapshot();

    internal KeyValuePair<string, LastKnownGood<string, RealmPolicy>.Entry>[] LastKnownPolicies() => _lastPolicies.Snapshot();

    /// <summary>Drops a last-known-good entry if it is still <paramref name="entry"/> (a newer read stays).</summary>
    internal void ForgetLastKnownUser((string Realm, string Name) key, LastKnownGood<(string Realm, string Name), byte[]>.Entry entry) => _lastUsers.Forget(key, entry);

    internal void ForgetLastKnownSecrets(string realm, LastKnownGood<string, IReadOnlyList<string>>.Entry entry) => _lastSecrets.Forget(realm, entry);

    internal void ForgetLastKnownPolicy(string realm, LastKnownGood<string, RealmPolicy>.Entry entry) => _lastPolicies.Forget(realm, entry);
}
