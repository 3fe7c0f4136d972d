namespace Turn.Relay.Requests;

/// <summary>
/// A fixed array of token buckets indexed by <see cref="SourceSlots"/>: memory is set at start whatever the
/// number of sources. Each bucket is one 64-bit word (milli-tokens, and the millisecond of the last refill)
/// changed by compare-and-swap, so no lock and no allocation.
/// </summary>
internal sealed class SourceTokenBuckets
{
    private const long MilliTokens = 1_000;

    private readonly long[] _buckets;
    private readonly long _ratePerMillisecond;
    private readonly long _capacity;

    /// <param name="size">Buckets, a power of two.</param>
    /// <param name="perSecond">Tokens added per second.</param>
    /// <param name="burst">Tokens a full bucket holds.</param>
    public SourceTokenBuckets(int size, int perSecond, int burst)
    {
        if (size <= 0 || (size & (size - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(size), "A power of two.");
        _buckets = new long[size];
        _ratePerMillisecond = perSecond; // milli-tokens per millisecond = tokens per second
        _capacity = Math.Max(1, burst) * MilliTokens;
    }

    public int Mask => _buckets.Length - 1;

    public int Size => _buckets.Length;

    /// <summary>Takes one token from bucket <paramref name="slot"/> at <paramref name="nowMilliseconds"/> (any monotonic clock).</summary>
    public bool TryTake(int slot, long nowMilliseconds)
    {
        // Millisecond 0 marks an unused bucket (full); the clock is kept away from it.
        var now = (uint)(nowMilliseconds + 1);
        if (now == 0) now = 1;
        ref var bucket = ref _buckets[slot];
        while (true)
        {
            var state = Volatile.Read(ref bucket);
            var last = (uint)state;
            var tokens = state >>> 32;
            // Unused, or the 49-day clock wrapped: start full.
            if (last == 0 || now < last) tokens = _capacity;
            else tokens = Math.Min(_capacity, tokens + (now - last) * _ratePerMillisecond);
            if (tokens < MilliTokens)
            {
                // Keep the refill time: the fraction already earned stays earned.
                return false;
            }
            var next = ((tokens - MilliTokens) << 32) | now;
            if (Interlocked.CompareExchange(ref bucket, next, state) == state) return true;
        }
    }
}
