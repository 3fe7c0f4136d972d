using Turn.Relay.Seams;

namespace Admin.Web.Live;

/// <summary>
/// Counts the engine's lifecycle events the dashboard plots (allocations created, auth failures, quota rejections)
/// with one interlocked increment per event; <see cref="LiveRelayFeed"/> reads the totals once per tick.
/// </summary>
public sealed class RelayEventCounter : IRelayEventSink
{
    private long _created;
    private long _authFailures;
    private long _quotaRejections;

    public long AllocationsCreated => Interlocked.Read(ref _created);

    public long AuthFailures => Interlocked.Read(ref _authFailures);

    public long QuotaRejections => Interlocked.Read(ref _quotaRejections);

    public void OnEvent(in RelayEvent relayEvent)
    {
        switch (relayEvent.Kind)
        {
            case RelayEventKind.AllocationCreated: Interlocked.Increment(ref _created); break;
            case RelayEventKind.AuthenticationFailed: Interlocked.Increment(ref _authFailures); break;
            case RelayEventKind.QuotaRejected: Interlocked.Increment(ref _quotaRejections); break;
        }
    }
}
