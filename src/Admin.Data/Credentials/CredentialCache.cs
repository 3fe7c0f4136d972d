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
/// </summary>
public sealed partial class CredentialCache(IOptions<AdminDataOptions> options, TimeProvider timeProvider, ILogger<CredentialCache> logger)
    : ICredentialEvents
{
    private readonly ConcurrentDictionary<(string Realm, string Name), Entry<byte[]?>> _users = new();
    private readonly ConcurrentDictionary<string, Entry<IReadOnlyList<string>>> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<RealmPolicy>> _policies = new(StringComparer.Ordinal);
    private readonly long _maxAgeTicks = (long)(options.Value.CacheMaxAge.TotalSeconds * timeProvider.TimestampFrequency);
    private readonly int _maxEntries = options.Value.CacheMaxEntries;
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

    public void StoreUser(string realm, string name, byte[]? key, long generation) => Store(_users, (realm, name), key, generation);

    public void StoreSecrets(string realm, IReadOnlyList<string> secrets, long generation) => Store(_secrets, realm, secrets, generation);

    public void StorePolicy(string realm, RealmPolicy policy, long generation) => Store(_policies, realm, policy, generation);

    /// <summary>Drops every entry (e.g. after the listener reconnected, when notifications may have been missed).</summary>
    public void Flush()
    {
        Interlocked.Increment(ref _generation);
        _users.Clear();
        _secrets.Clear();
        _policies.Clear();
        Interlocked.Exchange(ref _entryCount, 0);
    }

    /// <summary>Called by the listener: live = connected and listening (cache allowed), not live = bypass and flush.</summary>
    internal void SetLive(bool live)
    {
        if (live) Flush();
        _live = live;
        if (!live) Flush();
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
                if (op == 'D') Raise(new CredentialRevocation(CredentialRevocationKind.UserDeleted, realm, detail, null));
                else if (op == 'R') Raise(new CredentialRevocation(CredentialRevocationKind.UserDisabled, realm, detail, null));
                break;
            case "turn_secret" when op == 'T':
                _secrets.Clear();
                Raise(new CredentialRevocation(CredentialRevocationKind.AllSecretsDeleted, null, null, null));
                break;
            case "turn_secret":
                _secrets.TryRemove(realm, out _);
                if (op == 'D') Raise(new CredentialRevocation(CredentialRevocationKind.SecretDeleted, realm, null, detail));
                break;
            case "turn_realm_option" or "allowed_peer_ip" or "denied_peer_ip" when op == 'T':
                _policies.Clear();
                break;
            case "turn_realm_option" or "allowed_peer_ip" or "denied_peer_ip":
                _policies.TryRemove(realm, out _);
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
            Flush();
            return;
        }
        var entry = new Entry<TValue>(value, timeProvider.GetTimestamp());
        map[key] = entry;
        // An invalidation may have slipped in between the check and the write: undo ours if so.
        if (generation != Interlocked.Read(ref _generation) || !_live)
            map.TryRemove(new KeyValuePair<TKey, Entry<TValue>>(key, entry));
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

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Unrecognised change notification ({Length} characters); flushing the credential cache")]
    private static partial void LogUnknownPayload(ILogger logger, int length);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "A credential revocation handler failed for {Kind}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, CredentialRevocationKind kind);
}
