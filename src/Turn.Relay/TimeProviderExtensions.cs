namespace Turn.Relay;

/// <summary>
/// Conversions between spans and <see cref="TimeProvider.GetTimestamp"/> values: expiries are kept
/// as timestamps so the data path compares two longs.
/// </summary>
internal static class TimeProviderExtensions
{
    /// <summary>The number of timestamp ticks in <paramref name="span"/>.</summary>
    public static long Ticks(this TimeProvider time, TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    /// <summary>The wall-clock time of <paramref name="timestamp"/>, given the pair (<paramref name="now"/>, <paramref name="utcNow"/>) read together.</summary>
    public static DateTimeOffset ToUtc(this TimeProvider time, long timestamp, long now, DateTimeOffset utcNow) =>
        utcNow + TimeSpan.FromSeconds((double)(timestamp - now) / time.TimestampFrequency);
}
