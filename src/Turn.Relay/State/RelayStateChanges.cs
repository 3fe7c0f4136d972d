using Microsoft.Extensions.Logging;

namespace Turn.Relay.State;

/// <summary>
/// A version number every change to live state bumps, and the <see cref="Seams.IRelayState"/>
/// subscribers told about changes: at most once per sweep, and only when the version moved, so a
/// busy relay does not call them per request.
/// </summary>
internal sealed partial class RelayStateChanges(ILogger logger)
{
    private readonly Lock _subscribersLock = new();
    private Action[] _subscribers = [];
    private long _version;
    private long _notifiedVersion;

    public void MarkChanged() => Interlocked.Increment(ref _version);

    public IDisposable Subscribe(Action onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        lock (_subscribersLock) _subscribers = [.. _subscribers, onChanged];
        return new StateSubscription(this, onChanged);
    }

    public void Unsubscribe(Action onChanged)
    {
        lock (_subscribersLock) _subscribers = [.. _subscribers.Where(s => s != onChanged)];
    }

    /// <summary>Calls every subscriber if anything changed since the last call (the sweep's timer only).</summary>
    public void NotifyIfChanged()
    {
        var version = Interlocked.Read(ref _version);
        if (version == _notifiedVersion) return;
        _notifiedVersion = version;
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                subscriber();
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 1413, Level = LogLevel.Error, Message = "A relay state subscriber failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);
}
