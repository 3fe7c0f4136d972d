using Turn.Protocol;
using Turn.Relay.Diagnostics;

namespace Turn.Relay.Requests;

/// <summary>
/// Reflection limit (issue 13): answers sent before a request authenticated (401, 438, 400, 500, Binding) are
/// rate-limited per source and per prefix with token buckets (Relay:UnauthenticatedAnswersPerSecond and
/// ...Burst, Relay:UnauthenticatedAnswersPerPrefixPerSecond and ...PrefixBurst). The request's source may be
/// spoofed, so without a limit the server would send 5-7 times the bytes it receives to a victim. Answers over
/// the budget are dropped silently (the client retransmits) and counted in <c>turn.requests.limited</c>.
/// coturn's <c>--unauthorized-ratelimit</c> does the same for its UDP 401s (10 per second per address).
/// Authenticated answers and relayed data never come here.
/// </summary>
internal sealed class UnauthenticatedAnswerBudget
{
    private const int SourceBuckets = 16_384;
    private const int PrefixBuckets = 4_096;

    private readonly SourceTokenBuckets? _sources;
    private readonly SourceTokenBuckets? _prefixes;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly RelayMetrics _metrics;

    public UnauthenticatedAnswerBudget(RelayOptions options, TimeProvider time, RelayMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _start = time.GetTimestamp();
        _metrics = metrics;
        if (options.UnauthenticatedAnswersPerSecond > 0)
            _sources = new SourceTokenBuckets(SourceBuckets, options.UnauthenticatedAnswersPerSecond, options.UnauthenticatedAnswerBurst);
        if (options.UnauthenticatedAnswersPerPrefixPerSecond > 0)
            _prefixes = new SourceTokenBuckets(PrefixBuckets, options.UnauthenticatedAnswersPerPrefixPerSecond, options.UnauthenticatedAnswerPrefixBurst);
    }

    /// <summary>True when one more unauthenticated answer may go to <paramref name="client"/>; false = drop it (counted).</summary>
    public bool TryTake(in TransportAddress client)
    {
        if (_sources is null && _prefixes is null) return true;
        var slots = SourceSlots.For(client, SourceBuckets - 1, PrefixBuckets - 1);
        var now = (long)_time.GetElapsedTime(_start).TotalMilliseconds;
        if ((_sources is null || _sources.TryTake(slots.Source, now)) && (_prefixes is null || _prefixes.TryTake(slots.Prefix, now))) return true;
        _metrics.RecordLimited(RequestLimit.UnauthenticatedAnswer);
        return false;
    }
}
