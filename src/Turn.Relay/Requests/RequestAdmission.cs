using Turn.Protocol;
using Turn.Relay.Diagnostics;

namespace Turn.Relay.Requests;

/// <summary>
/// Bounds the requests that may wait on the credential or policy store: 2,048 at once in all, and per source
/// and per prefix (Relay:MaxRequestsInFlightPerSource, Relay:MaxRequestsInFlightPerPrefix) so that one address
/// or network cannot take every slot. Beyond a limit requests are dropped (clients retransmit) and counted.
/// Only requests that passed the pre-authentication stage (with a nonce of ours) get here. Memory is fixed:
/// per-source counts live in hashed arrays (<see cref="SourceInFlight"/>).
/// </summary>
internal sealed class RequestAdmission
{
    private const int MaxRequestsInFlight = 2_048;
    private const int SourceCounters = 8_192;
    private const int PrefixCounters = 2_048;

    private readonly RelayMetrics _metrics;
    private readonly SourceInFlight _sources = new(SourceCounters);
    private readonly SourceInFlight _prefixes = new(PrefixCounters);
    private readonly int _perSource;
    private readonly int _perPrefix;
    private int _inFlight;

    public RequestAdmission(RelayMetrics metrics, int perSource = 0, int perPrefix = 0)
    {
        _metrics = metrics;
        _perSource = perSource > 0 ? perSource : int.MaxValue;
        _perPrefix = perPrefix > 0 ? perPrefix : int.MaxValue;
    }

    /// <summary>Requests in flight now, in all.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True when the request may go on; then <see cref="Leave"/> with <paramref name="slots"/> must follow once it is answered.</summary>
    public bool TryEnter(in TransportAddress client, out SourceSlots slots)
    {
        slots = SourceSlots.For(client, SourceCounters - 1, PrefixCounters - 1);
        if (!_sources.TryEnter(slots.Source, _perSource))
        {
            _metrics.RecordLimited(RequestLimit.SourceInFlight);
            return false;
        }
        if (!_prefixes.TryEnter(slots.Prefix, _perPrefix))
        {
            _sources.Leave(slots.Source);
            _metrics.RecordLimited(RequestLimit.SourceInFlight);
            return false;
        }
        if (Interlocked.Increment(ref _inFlight) <= MaxRequestsInFlight) return true;
        Interlocked.Decrement(ref _inFlight);
        _sources.Leave(slots.Source);
        _prefixes.Leave(slots.Prefix);
        _metrics.RecordOverload();
        return false;
    }

    public void Leave(in SourceSlots slots)
    {
        Interlocked.Decrement(ref _inFlight);
        _sources.Leave(slots.Source);
        _prefixes.Leave(slots.Prefix);
    }
}
