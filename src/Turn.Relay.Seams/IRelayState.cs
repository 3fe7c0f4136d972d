namespace Turn.Relay.Seams;

/// <summary>
/// Read-only view of the engine's live allocations, for the portal. Snapshots are immutable and
/// shared: take one per tick, never per row.
/// </summary>
public interface IRelayState
{
    /// <summary>An immutable snapshot of every live allocation, taken now.</summary>
    RelayStateSnapshot GetSnapshot();

    /// <summary>
    /// Calls <paramref name="onChanged"/> after allocations change, throttled to at most a few calls
    /// per second; the callback runs on a background thread and must not block. Dispose to stop.
    /// </summary>
    IDisposable Subscribe(Action onChanged);
}
