namespace Turn.Relay.Requests;

/// <summary>
/// A fixed array of in-flight counters indexed by <see cref="SourceSlots"/>: how many requests from a source (or
/// a prefix) are waiting in the asynchronous stages. Memory is set at start; entering and leaving are one
/// interlocked add each.
/// </summary>
internal sealed class SourceInFlight(int size)
{
    private readonly int[] _counts = size > 0 && (size & (size - 1)) == 0
        ? new int[size] : throw new ArgumentOutOfRangeException(nameof(size), "A power of two.");

    public int Mask => _counts.Length - 1;

    /// <summary>True when slot <paramref name="slot"/> had fewer than <paramref name="limit"/>; then <see cref="Leave"/> must follow.</summary>
    public bool TryEnter(int slot, int limit)
    {
        if (Interlocked.Increment(ref _counts[slot]) <= limit) return true;
        Interlocked.Decrement(ref _counts[slot]);
        return false;
    }

    public void Leave(int slot) => Interlocked.Decrement(ref _counts[slot]);

    /// <summary>Requests in flight in <paramref name="slot"/> (tests).</summary>
    public int Count(int slot) => Volatile.Read(ref _counts[slot]);
}
