namespace Turn.Relay.State;

/// <summary>One <see cref="Seams.IRelayState.Subscribe"/> registration; disposing it (once or more) ends it.</summary>
internal sealed class StateSubscription(RelayStateChanges changes, Action onChanged) : IDisposable
{
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) changes.Unsubscribe(onChanged);
    }
}
