using Turn.Protocol;
using Turn.Relay.Diagnostics;

namespace Turn.Relay.Requests;

/// <summary>
/// Fair reading under a flood (issue 13): STUN requests from a source (IPv4 address, IPv6 /64) that has no allocation
/// on that 5-tuple are admitted at Relay:RequestsPerSecondPerSource (burst Relay:RequestBurstPerSource) and the rest
/// dropped before they are parsed, answered or charged to any other budget. A flooding source then costs a hash
/// and a compare-and-swap per datagram instead of the request path's work, so the receive loop keeps up and other
/// clients' requests are read. Spoofed floods spread over many sources are held back by the later, stateless stages
/// (junk nonces never reach a store) and the answer budget. A fixed table of buckets: O(1) memory.
/// </summary>
internal sealed class SourceRequestRate
{
    private const int Buckets = 16_384;

    private readonly SourceTokenBuckets? _sources;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly RelayMetrics _metrics;

    public SourceRequestRate(RelayOptions options, TimeProvider time, RelayMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _start = time.GetTimestamp();
        _metrics = metrics;
        if (options.RequestsPerSecondPerSource > 0)
            _sources = new SourceTokenBuckets(Buckets, options.RequestsPerSecondPerSource, options.RequestBurstPerSource);
    }

    /// <summary>True when one more request from <paramref name="client"/> may be read; false = drop it unread (counted).</summary>
    public bool TryAdmit(in TransportAddress client)
    {
        if (_sources is null) return true;
        var slot = SourceSlots.For(client, Buckets - 1, 0).Source;
        if (_sources.TryTake(slot, (long)_time.GetElapsedTime(_start).TotalMilliseconds)) return true;
        _metrics.RecordLimited(RequestLimit.SourceRequestRate);
        return false;
    }
}
