using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Data.Credentials;

/// <summary>
/// The caches behind <see cref="PostgresCredentialStore"/> and <see cref="PostgresRealmPolicyStore"/>, invalidated by
/// <see cref="ChangeListener"/>. Entries are only kept while the listener is connected (otherwise lookups go to the
/// database), so a missed notification can never leave a stale key. Each kind of answer has its own bounded space that
/// evicts its least recently used entry when full (<see cref="BoundedLru{TKey, TValue}"/>): known users, unknown or
/// disabled users, USERHASHes that name a user, USERHASHes that name none, realms' secrets, realms' policies. So a flood
/// of made-up names or hashes only ever evicts other made-up names or hashes, never a real user's entry. A per-key
/// generation (striped) stops a lookup that raced with a notification about its key from caching its old answer.
/// Beside the fresh entries it keeps the last-known-good answers (<see cref="LastKnownGood{TKey, TValue}"/>) that
/// <see cref="DatabaseOutage"/> serves while PostgreSQL cannot be reached: only positive answers for users and
/// secrets, kept across the listener's flushes, and removed by every notification about their key.
/// </summary>
public sealed partial class CredentialCache
{
    private const int StripeCount = 4096;
    private static readonly TimeSpan BadPayloadLogInterval = TimeSpan.FromMinutes(1);

    private readonly BoundedLru<(string Realm, string Name), byte[]> _knownUsers;
    private readonly BoundedLru<(string Realm, string Name), bool> _unknownUsers;
    private readonly BoundedLru<(string Realm, string Hash), string> _knownHashes;
    private readonly BoundedLru<(string Realm, string Hash), bool> _unknownHashes;
    private readonly BoundedLru<string, IReadOnlyList<string>> _secrets;
    private readonly BoundedLru<string, RealmPolicy> _policies;
    private readonly LastKnownGood<(string Realm, string Name), byte[]> _lastUsers;
    private readonly LastKnownGood<string, IReadOnlyList<string>> _lastSecrets;
    private readonly LastKnownGood<string, RealmPolicy> _lastPolicies;
    private readonly long[] _stripes = new long[StripeCount]; // generation of the last invalidation per key stripe
    private readonly TimeProvider _time;
    private readonly DatabaseOutage _outage;
    private readonly ILogger _logger;
    private readonly long _maxAgeTicks;
    private long _generation;   // bumped by every invalidation
    private long _flushedAt;    // generation of the last flush (every key)
    private long _badPayloads;
    private long _nextBadPayloadLog;
    private volatile bool _live;

    public CredentialCache(IOptions<AdminDataOptions> options, TimeProvider timeProvider, DatabaseOutage outage, ILogger<CredentialCache> logger)
    {
        var o = options.Value;
        _time = timeProvider;
        _outage = outage;
        _logger = logger;
        _maxAgeTicks = (long)(o.CacheMaxAge.TotalSeconds * timeProvider.TimestampFrequency);
        _knownUsers = new(o.CacheMaxEntries);
        _unknownUsers = new(o.NegativeCacheMaxEntries);
        _knownHashes = new(o.CacheMaxEntries);
        _unknownHashes = new(o.NegativeCacheMaxEntries);
        _secrets = new(o.CacheMaxEntries, StringComparer.Ordinal);
        _policies = new(o.CacheMaxEntries, StringComparer.Ordinal);
        _lastUsers = new(o.CacheMaxEntries);
        _lastSecrets = new(o.CacheMaxEntries, StringComparer.Ordinal);
        _lastPolicies = new(o.CacheMaxEntries, StringComparer.Ordinal);
    }

    /// <summary>True while the change listener is connected and entries may be cached.</summary>
    public bool IsLive => _live;

    /// <summary>Entries now in the fresh spaces: known users, unknown users (for tests and figures).</summary>
    public (int Known, int Unknown) UserEntryCounts => (_knownUsers.Count, _unknownUsers.Count);

    /// <summary>Call before reading the database; pass the value to the Store method.</summary>
    public long BeginLoad() => Interlocked.Read(ref _generation);

    public bool TryGetUser(string realm, string name, out byte[]? key)
    {
        key = null;
        if (!_live) return false;
        var notBefore = NotBefore();
        if (_knownUsers.TryGet((realm, name), notBefore, out var known))
        {
            key = known;
            return true;
        }
        return _unknownUsers.TryGet((realm, name), notBefore, out _);
    }

    /// <summary>A cached USERHASH answer: the user's name, or null for "no user has that hash in the realm".</summary>
    public bool TryGetUserNameByHash(string realm, ReadOnlySpan<byte> userHash, out string? name)
    {
        name = null;
        if (!_live) return false;
        var key = (realm, Convert.ToHexStringLower(userHash));
        var notBefore = NotBefore();
        if (_knownHashes.TryGet(key, notBefore, out var known))
        {
            name = known;
            return true;
        }
        return _unknownHashes.TryGet(key, notBefore, out _);
    }

    public bool TryGetSecrets(string realm, out IReadOnlyList<string> secrets)
    {
        if (_live && _secrets.TryGet(realm, NotBefore(), out secrets)) return true;
        secrets = [];
        return false;
    }

    public bool TryGetPolicy(string realm, out RealmPolicy policy)
    {
        if (_live && _policies.TryGet(realm, NotBefore(), out policy)) return true;
        policy = RealmPolicy.Empty;
        return false;
    }

    public void StoreUser(string realm, string name, byte[]? key, long generation)
    {
        Remember(_lastUsers, (realm, name), key, generation, Stripe(realm, name));
        // One answer per key: the other space's entry for it (if any) is older, so it goes.
        if (key is not null)
        {
            _unknownUsers.Remove((realm, name));
            Store(_knownUsers, (realm, name), key, generation, Stripe(realm, name));
        }
        else
        {
            _knownUsers.Remove((realm, name));
            Store(_unknownUsers, (realm, name), true, generation, Stripe(realm, name));
        }
    }

    public void StoreUserNameByHash(string realm, ReadOnlySpan<byte> userHash, string? name, long generation)
    {
        var key = (realm, Convert.ToHexStringLower(userHash));
        var stripe = Stripe(key.realm, key.Item2);
        if (name is not null)
        {
            _unknownHashes.Remove(key);
            Store(_knownHashes, key, name, generation, stripe);
        }
        else
        {
            _knownHashes.Remove(key);
            Store(_unknownHashes, key, true, generation, stripe);
        }
    }

    public void StoreSecrets(string realm, IReadOnlyList<string> secrets, long generation)
    {
        Remember(_lastSecrets, realm, secrets.Count > 0 ? secrets : null, generation, Stripe(realm, ""));
        Store(_secrets, realm, secrets, generation, Stripe(realm, ""));
    }

    public void StorePolicy(string realm, RealmPolicy policy, long generation)
    {
        Remember(_lastPolicies, realm, policy, generation, Stripe(realm, "\0policy"));
        Store(_policies, realm, policy, generation, Stripe(realm, "\0policy"));
    }

    /// <summary>Drops every entry, the last-known-good ones too.</summary>
    public void Flush()
    {
        DropFresh();
        _lastUsers.Clear();
        _lastSecrets.Clear();
        _lastPolicies.Clear();
    }

    /// <summary>
    /// Applies one notification payload (see <see cref="ChangeNotification"/>); returns the parsed notification, or
    /// null when it could not be read (logged at most once a minute, and otherwise ignored: our triggers only send
    /// well-formed payloads, and a sender who can forge payloads can forge well-formed ones just as well).
    /// </summary>
    internal ChangeNotification? Apply(string payload)
    {
        if (ChangeNotification.TryParse(payload, out var notification) && Apply(notification!)) return notification;
        NoteBadPayload(payload.Length);
        return null;
    }

    /// <summary>Drops the cached entries the notification names; false when it names nothing this cache knows.</summary>
    internal bool Apply(ChangeNotification notification)
    {
        var (table, op, realm, detail) = (notification.Table, notification.Op, notification.Realm, notification.Detail);
        switch (table)
        {
            case "turnusers_lt" when op == 'T':
                Invalidate(null);
                _knownUsers.Clear();
                _unknownUsers.Clear();
                _knownHashes.Clear();
                _unknownHashes.Clear();
                _lastUsers.Clear();
                return true;
            case "turnusers_lt":
                var hash = Convert.ToHexStringLower(Turn.Protocol.UserHash.Compute(detail, realm));
                Invalidate(Stripe(realm, detail));
                Invalidate(Stripe(realm, hash));
                _knownUsers.Remove((realm, detail));
                _unknownUsers.Remove((realm, detail));
                _knownHashes.Remove((realm, hash));
                _unknownHashes.Remove((realm, hash));
                _lastUsers.Forget((realm, detail));
                return true;
            case "turn_secret" when op == 'T':
                Invalidate(null);
                _secrets.Clear();
                _lastSecrets.Clear();
                return true;
            case "turn_secret":
                Invalidate(Stripe(realm, ""));
                _secrets.Remove(realm);
                _lastSecrets.Forget(realm);
                return true;
            case "turn_realm_option" or "allowed_peer_ip" or "denied_peer_ip" when op == 'T':
                Invalidate(null);
                _policies.Clear();
                _lastPolicies.Clear();
                return true;
            case "turn_realm_option" or "allowed_peer_ip" or "denied_peer_ip":
                Invalidate(Stripe(realm, "\0policy"));
                _policies.Remove(realm);
                _lastPolicies.Forget(realm);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Called by the listener: live = connected and listening (cache allowed), not live = bypass and flush. Only the
    /// fresh entries go: the last-known-good ones are what an outage is served from.
    /// </summary>
    internal void SetLive(bool live)
    {
        if (live) DropFresh();
        _live = live;
        if (!live) DropFresh();
    }

    /// <summary>Lookups reading the database now will not keep what they read (it may predate a missed revocation).</summary>
    internal void DiscardLoadsInFlight() => Invalidate(null);

    private void DropFresh()
    {
        Invalidate(null);
        _knownUsers.Clear();
        _unknownUsers.Clear();
        _knownHashes.Clear();
        _unknownHashes.Clear();
        _secrets.Clear();
        _policies.Clear();
    }

    private long NotBefore() => _time.GetTimestamp() - _maxAgeTicks;

    private static int Stripe(string realm, string name) =>
        (int)((uint)HashCode.Combine(StringComparer.Ordinal.GetHashCode(realm), StringComparer.Ordinal.GetHashCode(name)) % StripeCount);

    // Marks one stripe (or, with null, every key) as changed now: loads that began earlier must not store.
    private void Invalidate(int? stripe)
    {
        var generation = Interlocked.Increment(ref _generation);
        ref var slot = ref stripe is { } s ? ref _stripes[s] : ref _flushedAt;
        long seen;
        while ((seen = Interlocked.Read(ref slot)) < generation && Interlocked.CompareExchange(ref slot, generation, seen) != seen)
        {
        }
    }

    private bool Changed(long generation, int stripe) =>
        Interlocked.Read(ref _flushedAt) > generation || Interlocked.Read(ref _stripes[stripe]) > generation;

    private void Store<TKey, TValue>(BoundedLru<TKey, TValue> map, TKey key, TValue value, long generation, int stripe) where TKey : notnull
    {
        if (!_live || Changed(generation, stripe)) return;
        var token = map.Set(key, value, _time.GetTimestamp());
        // An invalidation may have slipped in between the check and the write: undo ours if so.
        if (Changed(generation, stripe) || !_live) map.Remove(key, token);
    }

    // Kept whether or not the listener is live, but not if a notification about the key may have slipped in during
    // the read. Null = the answer says "no" (user unknown or disabled, realm without secrets): the key is forgotten.
    private void Remember<TKey, TValue>(LastKnownGood<TKey, TValue> map, TKey key, TValue? value, long generation, int stripe) where TKey : notnull where TValue : class
    {
        if (_outage.MaxAgeTicks == 0) return;
        if (value is null)
        {
            map.Forget(key);
            return;
        }
        if (Changed(generation, stripe)) return; // the notification that raced already removed it
        var entry = map.Remember(key, value, _time.GetTimestamp(), _outage.MaxAgeTicks, _outage.PruneIntervalTicks);
        if (entry is not null && Changed(generation, stripe)) map.Forget(key, entry);
    }

    private void NoteBadPayload(int length)
    {
        var count = Interlocked.Increment(ref _badPayloads);
        var now = _time.GetTimestamp();
        var due = Interlocked.Read(ref _nextBadPayloadLog);
        if (now < due || Interlocked.CompareExchange(ref _nextBadPayloadLog, now + (long)(BadPayloadLogInterval.TotalSeconds * _time.TimestampFrequency), due) != due) return;
        LogUnknownPayload(_logger, length, count);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "Ignored an unreadable change notification ({Length} characters; {Count} so far): only the triggers' JSON payloads name entries to re-read")]
    private static partial void LogUnknownPayload(ILogger logger, int length, long count);
}
