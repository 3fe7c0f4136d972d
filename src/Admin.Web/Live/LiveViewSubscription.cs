namespace Admin.Web.Live;

/// <summary>
/// A component's subscription to <see cref="LiveRelayFeed"/>: each tick is marshalled onto the component's circuit
/// with its InvokeAsync, and a tick that arrives while the previous one is still being applied is skipped, so a slow
/// browser falls behind alone and never queues work on the feed. Dispose with the component.
/// </summary>
public sealed class LiveViewSubscription : IDisposable
{
    private readonly IDisposable _subscription;
    private int _busy;

    public LiveViewSubscription(LiveRelayFeed feed, Func<Action, Task> invokeAsync, Action<LiveSnapshot> apply)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _subscription = feed.Subscribe(snapshot =>
        {
            if (Interlocked.Exchange(ref _busy, 1) == 1) return;
            _ = invokeAsync(() =>
            {
                try
                {
                    apply(snapshot);
                }
                finally
                {
                    Volatile.Write(ref _busy, 0);
                }
            });
        });
    }

    public void Dispose() => _subscription.Dispose();
}
