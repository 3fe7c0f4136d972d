using System.Collections.Concurrent;

namespace Turn.Relay.Requests;

/// <summary>
/// Answers retransmitted requests (same transaction id and 5-tuple) with the first answer, and
/// drops those that arrive while the first copy is still being answered (RFC 8489 section 6.3.1).
/// Bounded: when full, requests are answered uncached.
/// </summary>
internal sealed class ResponseCache(TimeProvider time)
{
    private const int MaxEntries = 10_000;

    // RFC 8489 section 6.3.1: a client retransmits for about 39.5 s.
    private static readonly TimeSpan EntryLifetime = TimeSpan.FromSeconds(40);

    private readonly ConcurrentDictionary<ResponseCacheKey, CachedResponse> _responses = new();
    // How often the expired entries are looked for.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);

    private readonly long _lifetimeTicks = time.Ticks(EntryLifetime);
    private readonly long _sweepIntervalTicks = time.Ticks(SweepInterval);
    private long _nextSweep;

    /// <summary>
    /// True for a retransmission; <paramref name="response"/> is then the first answer, or null while
    /// that is still in progress (the retransmission is dropped).
    /// </summary>
    public bool TryGetRetransmission(in ResponseCacheKey key, out byte[]? response)
    {
        if (_responses.TryGetValue(key, out var cached))
        {
            response = cached.Bytes;
            return true;
        }
        response = null;
        return false;
    }

    /// <summary>Puts an in-progress entry for a new request; false when the cache is full (or raced).</summary>
    public bool TryBegin(in ResponseCacheKey key) =>
        _responses.Count < MaxEntries && _responses.TryAdd(key, new CachedResponse(time.GetTimestamp() + _lifetimeTicks));

    /// <summary>Keeps the answer to the request, if it has an entry.</summary>
    public void Store(RequestContext context, ReadOnlySpan<byte> response)
    {
        if (context.Cached && _responses.TryGetValue(context.CacheKey, out var entry)) entry.Bytes = response.ToArray();
    }

    /// <summary>A request that ended unanswered gives up its entry, so a retransmission is processed afresh.</summary>
    public void RemoveIfUnanswered(RequestContext context)
    {
        if (context.Cached && _responses.TryGetValue(context.CacheKey, out var entry) && entry.Bytes is null)
            _responses.TryRemove(context.CacheKey, out _);
    }

    /// <summary>Drops the answered entries that expired, looking at most once per <see cref="SweepInterval"/>.</summary>
    public void Sweep(long now)
    {
        // Called from the engine's half-second sweep; walking up to 10,000 entries that often cost CPU on a busy relay
        // for nothing, as an entry may as well go a second or two after its 40 s. One caller: the sweep timer.
        if (now < _nextSweep) return;
        _nextSweep = now + _sweepIntervalTicks;
        foreach (var (key, cached) in _responses)
        {
            if (now >= cached.ExpiresAt && cached.Bytes is not null) _responses.TryRemove(new(key, cached));
        }
    }
}
