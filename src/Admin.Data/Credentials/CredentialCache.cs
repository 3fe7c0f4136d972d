using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Data.Credentials;

/// <summary>
/// The caches behind <see cref="PostgresCredentialStore"/> and <see cref="PostgresRealmPolicyStore"/>, invalidated by
/// <see cref="ChangeListener"/>. Entries are only kept while the listener is connected (otherwise lookups go to the
/// database), so a missed notification can never leave a stale key. Negative answers (unknown or disabled users)
/// are cached too. A generation counter stops a lookup that raced with an invalidation from caching its old answer.
/// Beside the fresh entries it keeps the last-known-good answers (<see cref="LastKnownGood{TKey, TValue}"/>) that
/// <see cref="DatabaseOutage"/> serves while PostgreSQL cannot be reached: only positive answers for users and
/// secrets (so probing with made-up names cannot crowd them out), kept across the listener's flushes, and removed
/// by every notification about their key, so a revocation seen by the listener is never served from them.
/// </summary>
public sealed partial class CredentialCache(IOptions<AdminDataOptions> options, TimeProvider timeProvider, DatabaseOutage outage, ILogger<CredentialCache> logger)
    : ICredentialEvents
{
    private readonly ConcurrentDictionary<(string Realm, string Name), Entry<byte[]?>> _users = new();
    private readonly ConcurrentDictionary<string, Entry<IReadOnlyList<string>>> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<RealmPolicy>> _policies = new(StringComparer.Ordinal);
    private readonly long _maxAgeTicks = (long)(options.Value.CacheMaxAge.TotalSeconds * timeProvider.TimestampFrequency);
    private readonly int _maxEntries = options.Value.CacheMaxEntries;
    private readonly LastKnownGood<(string Realm, string Name), byte[]> _lastUsers = new(options.Value.CacheMaxEntries);
    private readonly LastKnownGood<string, IReadOnlyList<string>> _lastSecrets = new(options.Value.CacheMaxEntries, StringComparer.Ordinal);
    private readonly LastKnownGood<string, RealmPolicy> _lastPolicies = new(options.Value.CacheMaxEntries, StringComparer.Ordinal);
    private long _generation;
    private int _entryCount;
    private volatile bool _live;

    public event Action<CredentialRevocation>? Revoked;

    /// <summary>True while the change listener is connected and entries may be cached.</summary>
    public bool IsLive => _live;

    /// <summary>Call before reading the database; pass the value to the Store method.</summary>
    public long BeginLoad() => Interlocked.Read(ref _generation);

    public bool TryGetUser(string realm, string name, out byte[]? key) => TryGet<(string, string), byte[]?>(_users, (realm, name), out key);

    public bool TryGetSecrets(string realm, out IReadOnlyList<string> secrets)
    {
        var found = TryGet(_secrets, realm, out var value);
        secrets = value ?? [];
        return found;
    }

    public bool TryGetPolicy(string realm, out RealmPolicy policy)
    {
        var found = TryGet(_policies, realm, out var value);
        policy = value ?? RealmPolicy.Empty;
        return found;
    }

    /// <summary>Last-known-good key of a user (never a negative answer), for <see cref="DatabaseOutage"/>.</summary>
    public bool TryGetLastKnownUser(string realm, string name, out byte[]? key)
    {
        var found = _lastUsers.TryGet((realm, name), outage.Now, outage.MaxAgeTicks, out var value);
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
        _lastSecrets.TryGet(realm, outage.Now, outage.MaxAgeTicks, out secrets);

    public bool TryGetLastKnownPolicy(string realm, out RealmPolicy policy) =>
        _lastPolicies.TryGet(realm, outage.Now, outage.MaxAgeTicks, out policy);

    /// <summary>Lookups reading the database now will not keep what they read (it may predate a missed revocation).</summary>
    internal void DiscardLoadsInFlight() => Interlocked.Increment(ref _generation);

    /// <summary>The last-known-good entries now, for <see cref="LastKnownRevalidation"/>.</summary>
    internal KeyValuePair<(string Realm, string Name), LastKnownGood<(string Realm, string Name), byte[]>.Entry>[] LastKnownUsers() => _lastUsers.Snapshot();

    internal KeyValuePair<string, LastKnownGood<string, IReadOnlyList<string>>.Entry>[] LastKnownSecrets() => _lastSecrets.Snapshot();

    internal KeyValuePair<string, LastKnownGood<string, RealmPolicy>.Entry>[] LastKnownPolicies() => _lastPolicies.Snapshot();

    /// <summary>Drops a last-known-good entry if it is still <paramref name="entry"/> (a newer read stays).</summary>
    internal void ForgetLastKnownUser((string Realm, string Name) key, LastKnownGood<(string Realm, string Name), byte[]>.Entry entry) => _lastUsers.Forget(key, entry);

    internal void ForgetLastKnownSecrets(string realm, LastKnownGood<string, IReadOnlyList<string>>.Entry entry) => _lastSecrets.Forget(realm, entry);

    internal void ForgetLastKnownPolicy(string realm, LastKnownGood<string, RealmPolicy>.Entry entry) => _lastPolicies.Forget(realm, entry);

    /// <summary>Entries kept for outages (users, realms' secrets, realms' policies).</summary>
    public int LastKnownCount => _lastUsers.Count + _lastSecrets.Count + _lastPolicies.Count;

    public void StoreUser(string realm, string name, byte[]? key, long generation)
    {
        Remember(_lastUsers, (realm, name), key, generation);
        Store(_users, (realm, name), key, generation);
    }

    public void StoreSecrets(string realm, IReadOnlyList<string> secrets, long generation)
    {
        Remember(_lastSecrets, realm, secrets.Count > 0 ? secrets : null, generation);
        Store(_secrets, realm, secrets, generation);
    }

    public void StorePolicy(string realm, RealmPolicy policy, long generation)
    {
        Remember(_lastPolicies, realm, policy, generation);
        Store(_policies, realm, policy, generation);
    }

    /// <summary>
    /// Drops every entry, the last-known-good ones too (an unreadable notification or a TRUNCATE: anything may
    /// have been revoked).
    /// </summary>
    public void Flush()
    {
        DropFresh();
        _lastUsers.Clear();
        _lastSecrets.Clear();
        _lastPolicies.Clear();
    }

    /// <summary>
    /// Called by the listener: live = connected and listening (cache allowed), not live = bypass and flush. Only the
    /// fresh entries go: the last-known-good ones are what an outage is served from, and every answer read from the
    /// database meanwhile overwrites them.
    /// </summary>
    internal void SetLive(bool live)
    {
        if (live) DropFresh();
        _live = live;
        if (!live) DropFresh();
    }

    // Drops the fresh entries (after the listener reconnected, when notifications may have been missed).
    private void DropFresh()
    {
        Interlocked.Increment(ref _generation);
        _users.Clear();
        _secrets.Clear();
        _policies.Clear();
        Interlocked.Exchange(ref _entryCount, 0);
    }

    /// <summary>Applies one notification payload "table|op|realm|detail" (see the InitialSchema migration).</summary>
    internal void Apply(string payload)
    {
        Interlocked.Increment(ref _generation);
        var parts = payload.Split('|', 4);
        if (parts.Length != 4 || parts[1].Length != 1)
        {
            LogUnknownPayload(logger, payload.Length);
            Flush();
            return;
        }
        var (table, op, realm, detail) = (parts[0], parts[1][0], parts[2], parts[3]);
        switch (table)
        {
            case "turnusers_lt" when op == 'T':
                Flush();
                Raise(new CredentialRevocation(CredentialRevocationKind.AllUsersDeleted, null, null, null));
                break;
            case "turnusers_lt":
                _users.TryRemove((realm, detail), out _);
                _lastUsers.Forget((realm, detail));
                if (op == 'D') Raise(new CredentialRevocation(CredentialRevocationKind.UserDeleted, realm, detail, null));
                else if (op == 'R') Raise(new CredentialRevocation(CredentialRevocationKind.UserDisabled, realm, detail, null));
                break;
            case "turn_secret" when op == 'T':
                _secrets.Clear();
                _lastSecrets.Clear();
                Raise(new CredentialRevocation(CredentialRevocationKind.AllSecretsDeleted, null, null, null));
                break;
            case "turn_secret":
                _secrets.TryRemove(realm, out _);
                _lastSecrets.Forget(realm);
                if (op == 'D') Raise(new CredentialRevocation(CredentialRevocationKind.SecretDeleted, realm, null, detail));
                break;
            case "turn_realm_option" or "allowed_peer_ip" or "denied_peer_ip" when op == 'T':
                _policies.Clear();
                _lastPolicies.Clear();
                break;
            case "turn_realm_option" or "allowed_peer_ip" or "denied_peer_ip":
                _policies.TryRemove(realm, out _);
                _lastPolicies.Forget(realm);
                break;
            default:
                LogUnknownPayload(logger, payload.Length);
                Flush();
                break;
        }
    }

    private bool TryGet<TKey, TValue>(ConcurrentDictionary<TKey, Entry<TValue>> map, TKey key, out TValue? value) where TKey : notnull
    {
        if (_live && map.TryGetValue(key, out var entry) && timeProvider.GetTimestamp() - entry.StoredAt < _maxAgeTicks)
        {
            value = entry.Value;
            return true;
        }
        value = default;
        return false;
    }

    private void Store<TKey, TValue>(ConcurrentDictionary<TKey, Entry<TValue>> map, TKey key, TValue value, long generation) where TKey : notnull
    {
        if (!_live || generation != Interlocked.Read(ref _generation)) return;
        if (Interlocked.Increment(ref _entryCount) > _maxEntries)
        {
            // Bound memory against probing with many unknown names or realms: start over rather than track recency.
            DropFresh();
            return;
        }
        var entry = new Entry<TValue>(value, timeProvider.GetTimestamp());
        map[key] = entry;
        // An invalidation may have slipped in between the check and the write: undo ours if so.
        if (generation != Interlocked.Read(ref _generation) || !_live)
            map.TryRemove(new KeyValuePair<TKey, Entry<TValue>>(key, entry));
    }

    // Kept whether or not the listener is live (an answer read from the database is good whenever it was read), but
    // not if a notification about the key may have slipped in during the read. Null = the answer says "no" (user
    // unknown or disabled, realm without secrets): whatever was kept for the key must go.
    private void Remember<TKey, TValue>(LastKnownGood<TKey, TValue> map, TKey key, TValue? value, long generation) where TKey : notnull where TValue : class
    {
        if (outage.MaxAgeTicks == 0) return;
        if (value is null)
        {
            map.Forget(key);
            return;
        }
        if (generation != Interlocked.Read(ref _generation)) return; // the notification that raced already removed it
        var entry = map.Remember(key, value, timeProvider.GetTimestamp(), outage.MaxAgeTicks, outage.PruneIntervalTicks);
        if (entry is not null && generation != Interlocked.Read(ref _generation)) map.Forget(key, entry);
    }

    private void Raise(CredentialRevocation revocation)
    {
        var handlers = Revoked;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<CredentialRevocation>>())
        {
            try
            {
                handler(revocation);
            }
            catch (Exception e)
            {
                LogHandlerFailed(logger, e, revocation.Kind);
            }
        }
    }

    private sealed record Entry<T>(T Value, long StoredAt);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Unrecognised change notification ({Length} characters); flushing the credential cache")]
    private static partial void LogUnknownPayload(ILogger logger, int length);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "A credential revocation handler failed for {Kind}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, CredentialRevocationKind kind);
}
