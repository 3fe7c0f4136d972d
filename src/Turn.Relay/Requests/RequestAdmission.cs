using Turn.Relay.Diagnostics;

namespace Turn.Relay.Requests;

/// <summary>
/// Bounds the requests that may wait on the credential or policy store at once. Beyond it requests
/// are dropped (clients retransmit), so a flood of made-up user names cannot pile up unbounded work.
/// </summary>
internal sealed class RequestAdmission(RelayMetrics metrics)
{
    private const int MaxRequestsInFlight = 2_048;

    private int _inFlight;

    /// <summary>True when the request may go on; then <see cref="Leave"/> must follow once it is answered.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= MaxRequestsInFlight) return true;
        Interlocked.Decrement(ref _inFlight);
        metrics.RecordOverload();
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _inFlight);
}
