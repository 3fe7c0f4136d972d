using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Admin.Web.Auth;

/// <summary>
/// The portal's per-address sign-in throttle: a token bucket per client network (<see cref="ClientNetwork"/>: /24 or
/// /64). Each failed sign-in takes one token; a network with none left is refused before any password is checked,
/// and gets one more try every Portal:Login:AddressRefillInterval. Successful sign-ins cost nothing.
/// It also decides whether the per-account lockout applies to a sign-in (<see cref="LockoutApplies"/>): only to
/// networks that themselves failed a sign-in within Portal:Login:LockoutDuration. So someone guessing at "admin" from
/// their networks locks the account for those networks only, and the real admin from any other network still gets
/// in with the right password (a wrong one from there counts, and that network is then locked out too).
/// Bounded: at most <see cref="MaxNetworks"/> networks are tracked; when full, networks that have recovered are
/// forgotten, and if none has, new networks share one overflow bucket and the lockout applies to them (fail closed).
/// In memory, per node.
/// </summary>
public sealed class SignInThrottle(IOptions<LoginOptions> options, TimeProvider time)
{
    public const int MaxNetworks = 10_000;

    private static readonly ClientNetwork Overflow = new(ulong.MaxValue, ulong.MaxValue, true);

    private readonly ConcurrentDictionary<ClientNetwork, Bucket> _buckets = new();
    private long _nextPruneAt;

    /// <summary>True when the network may try a password now (it has a token left).</summary>
    public bool MayAttempt(IPAddress? address)
    {
        var bucket = Find(ClientNetwork.Of(address), create: false);
        return bucket is null || bucket.Tokens(Now, options.Value) >= 1;
    }

    /// <summary>A wrong password (or unknown name) from the address: takes a token, remembers when.</summary>
    public void RecordFailure(IPAddress? address)
    {
        var bucket = Find(ClientNetwork.Of(address), create: true)!;
        bucket.Take(Now, options.Value);
    }

    /// <summary>Whether the account lockout holds for a sign-in from this address (see the class summary).</summary>
    public bool LockoutApplies(IPAddress? address)
    {
        var network = ClientNetwork.Of(address);
        var bucket = Find(network, create: false);
        if (bucket is null) return _buckets.Count >= MaxNetworks; // untracked because the table is full: fail closed
        return Now - bucket.LastFailureAt < options.Value.LockoutDuration;
    }

    /// <summary>Networks tracked now (for tests).</summary>
    public int TrackedNetworks => _buckets.Count;

    private DateTimeOffset Now => time.GetUtcNow();

    private Bucket? Find(ClientNetwork network, bool create)
    {
        if (_buckets.TryGetValue(network, out var bucket)) return bucket;
        if (!create) return _buckets.TryGetValue(Overflow, out var overflow) && _buckets.Count >= MaxNetworks ? overflow : null;
        if (_buckets.Count >= MaxNetworks) Prune();
        if (_buckets.Count >= MaxNetworks) network = Overflow;
        return _buckets.GetOrAdd(network, _ => new Bucket(options.Value.AddressBurst));
    }

    // Forgets networks whose bucket is full again and whose last failure no longer locks anything; at most once a second.
    private void Prune()
    {
        var now = Now;
        var due = Interlocked.Read(ref _nextPruneAt);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextPruneAt, now.UtcTicks + TimeSpan.TicksPerSecond, due) != due) return;
        var o = options.Value;
        foreach (var (network, bucket) in _buckets)
        {
            if (network != Overflow && bucket.Tokens(now, o) >= o.AddressBurst && now - bucket.LastFailureAt >= o.LockoutDuration)
                _buckets.TryRemove(new KeyValuePair<ClientNetwork, Bucket>(network, bucket));
        }
    }

    private sealed class Bucket(int burst)
    {
        private readonly Lock _lock = new();
        private double _tokens = burst;
        private DateTimeOffset _refilledAt = DateTimeOffset.MinValue;

        public DateTimeOffset LastFailureAt { get; private set; } = DateTimeOffset.MinValue;

        public double Tokens(DateTimeOffset now, LoginOptions o)
        {
            lock (_lock)
            {
                Refill(now, o);
                return _tokens;
            }
        }

        public void Take(DateTimeOffset now, LoginOptions o)
        {
            lock (_lock)
            {
                Refill(now, o);
                _tokens = Math.Max(0, _tokens - 1);
                LastFailureAt = now;
            }
        }

        private void Refill(DateTimeOffset now, LoginOptions o)
        {
            if (_refilledAt != DateTimeOffset.MinValue && now > _refilledAt)
                _tokens = Math.Min(o.AddressBurst, _tokens + (now - _refilledAt) / o.AddressRefillInterval);
            _refilledAt = now;
        }
    }
}
