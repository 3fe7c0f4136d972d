namespace Turn.Relay.Allocations;

/// <summary>
/// Bandwidth limit for one direction of one allocation. Only that direction's receive loop calls
/// <see cref="TryTake"/>, so plain fields suffice: no lock, no interlocked operation.
/// The bucket holds up to one second of traffic, so short bursts pass and the average is capped.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _bytesPerTick;
    private readonly double _capacity;
    private double _tokens;
    private long _last;

    public TokenBucket(long bitsPerSecond, long now, long timestampFrequency)
    {
        var bytesPerSecond = bitsPerSecond / 8.0;
        _bytesPerTick = bytesPerSecond / timestampFrequency;
        _capacity = Math.Max(bytesPerSecond, 1500);
        _tokens = _capacity;
        _last = now;
    }

    public bool TryTake(int bytes, long now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_capacity, _tokens + (now - _last) * _bytesPerTick);
            _last = now;
        }
        if (_tokens < bytes) return false;
        _tokens -= bytes;
        return true;
    }
}
