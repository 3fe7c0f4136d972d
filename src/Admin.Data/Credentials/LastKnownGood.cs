using System.Collections.Concurrent;

namespace Admin.Data.Credentials;

/// <summary>
/// The last answer PostgreSQL gave per key, with when it was read, kept apart from the fresh cache so it survives
/// the listener's flushes; only <see cref="DatabaseOutage"/> serves it, and only while the database cannot be
/// reached. Bounded: when full, a new key is kept only after entries older than the maximum age are pruned (at most
/// once a minute, so a full map never costs a scan per lookup); known keys are always updated.
/// </summary>
internal sealed class LastKnownGood<TKey, TValue>(int maxEntries, IEqualityComparer<TKey>? comparer = null) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new(comparer);
    private int _count;
    private long _nextPruneAt;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Keeps <paramref name="value"/> read at <paramref name="readAt"/>; null when it was not kept (full).</summary>
    public Entry? Remember(TKey key, TValue value, long readAt, long maxAgeTicks, long pruneIntervalTicks)
    {
        var entry = new Entry(value, readAt);
        while (true)
        {
            if (_entries.TryGetValue(key, out var old))
            {
                if (_entries.TryUpdate(key, entry, old)) return entry;
                continue;
            }
            if (Volatile.Read(ref _count) >= maxEntries && !Prune(readAt, maxAgeTicks, pruneIntervalTicks)) return null;
            if (_entries.TryAdd(key, entry))
            {
                Interlocked.Increment(ref _count);
                return entry;
            }
        }
    }

    /// <summary>The kept keys and entries now (a moment's copy; entries may change meanwhile).</summary>
    public KeyValuePair<TKey, Entry>[] Snapshot() => _entries.ToArray();

    public void Forget(TKey key)
    {
        if (_entries.TryRemove(key, out _)) Interlocked.Decrement(ref _count);
    }

    /// <summary>Removes <paramref name="entry"/> only if it is still the one kept for <paramref name="key"/>.</summary>
    public void Forget(TKey key, Entry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry))) Interlocked.Decrement(ref _count);
    }

    public void Clear()
    {
        _entries.Clear();
        Interlocked.Exchange(ref _count, 0);
    }

    /// <summary>The kept value if it was read less than <paramref name="maxAgeTicks"/> before <paramref name="now"/>.</summary>
    public bool TryGet(TKey key, long now, long maxAgeTicks, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && now - entry.ReadAt < maxAgeTicks)
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    // True when there is room afterwards.
    private bool Prune(long now, long maxAgeTicks, long pruneIntervalTicks)
    {
        var due = Interlocked.Read(ref _nextPruneAt);
        if (now < due || Interlocked.CompareExchange(ref _nextPruneAt, now + pruneIntervalTicks, due) != due) return false;
        foreach (var (key, entry) in _entries)
        {
            if (now - entry.ReadAt >= maxAgeTicks) Forget(key, entry);
        }
        // Re-synchronise the counter with the map (Clear racing with Remember can leave it slightly off).
        Interlocked.Exchange(ref _count, _entries.Count);
        return Volatile.Read(ref _count) < maxEntries;
    }

    /// <summary>A value and the timestamp (<see cref="TimeProvider.GetTimestamp"/>) it was read at.</summary>
    public sealed class Entry(TValue value, long readAt)
    {
        public TValue Value { get; } = value;

        public long ReadAt { get; } = readAt;
    }
}
