namespace Turn.Relay.Diagnostics;

/// <summary>
/// Lets one log line through per interval and counts those held back, for failures that repeat with every request
/// (a credential store whose database is down): the log says it once, with how many were not logged, instead of
/// once per request. Lock-free; timestamps come from the caller's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class LogThrottle
{
    private long _nextAt = long.MinValue;
    private long _heldBack;

    /// <summary>True when this one may be logged; <paramref name="heldBack"/> = how many were not since the last.</summary>
    public bool TryEnter(long now, long intervalTicks, out long heldBack)
    {
        var next = Interlocked.Read(ref _nextAt);
        if (now < next || Interlocked.CompareExchange(ref _nextAt, now + intervalTicks, next) != next)
        {
            Interlocked.Increment(ref _heldBack);
            heldBack = 0;
            return false;
        }
        heldBack = Interlocked.Exchange(ref _heldBack, 0);
        return true;
    }
}
