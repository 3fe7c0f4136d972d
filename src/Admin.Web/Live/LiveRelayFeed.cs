using Turn.Relay.Seams;

namespace Admin.Web.Live;

/// <summary>
/// The one place the portal reads the engine's live state: once per tick (1 s) it takes one
/// <see cref="IRelayState"/> snapshot, derives per-allocation bit rates and server-wide totals, stores the sample in
/// <see cref="RelaySampleHistory"/> and tells subscribers. Every viewer
/// (Sessions page, dashboard) renders the same immutable <see cref="LiveSnapshot"/>, so the cost per tick does not
/// grow with the number of browsers, and a slow browser only delays its own circuit, never this loop or the relay.
/// Relayed byte totals come from <see cref="IRelayStatus.GetTrafficTotals"/> (the same figures the relay meter's counters
/// publish), so they include allocations that ended between ticks.
/// </summary>
public sealed partial class LiveRelayFeed : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly IRelayState _state;
    private readonly IRelayStatus _status;
    private readonly RelayEventCounter _events;
    private readonly RelaySampleHistory _history;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveRelayFeed> _logger;
    private readonly Lock _subscribersLock = new();
    private Action<LiveSnapshot>[] _subscribers = [];
    // Per allocation: its byte counts at the previous tick and its address texts (made once: an allocation's 5-tuple never changes).
    private Dictionary<string, (long In, long Out, string Client, string Relayed)> _previousBytes = new(StringComparer.Ordinal);
    private DateTimeOffset _previousAt;
    private (long In, long Out) _previousTotals;
    private (long Created, long AuthFailures, long QuotaRejections) _previousEvents;
    private LiveSnapshot _current;
    private readonly string _node;

    public LiveRelayFeed(IRelayState state, IRelayStatus status, RelayEventCounter events, RelaySampleHistory history, TimeProvider time,
        ILogger<LiveRelayFeed> logger, Microsoft.Extensions.Options.IOptions<Admin.Data.Usage.UsageOptions>? usage = null)
    {
        _node = usage?.Value.EffectiveNode ?? "";
        _state = state;
        _status = status;
        _events = events;
        _history = history;
        _time = time;
        _logger = logger;
        _current = LiveSnapshot.Empty(time.GetUtcNow());
        _previousAt = _current.TakenAt;
    }

    /// <summary>The latest snapshot (empty until the first tick).</summary>
    public LiveSnapshot Current => Volatile.Read(ref _current);

    /// <summary>
    /// Calls <paramref name="onTick"/> after every tick with the new snapshot, on the feed's thread: marshal to your
    /// own context (InvokeAsync) and return at once. Dispose to stop.
    /// </summary>
    public IDisposable Subscribe(Action<LiveSnapshot> onTick)
    {
        ArgumentNullException.ThrowIfNull(onTick);
        lock (_subscribersLock) _subscribers = [.. _subscribers, onTick];
        return new Subscription(this, onTick);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    Update();
                }
                catch (Exception ex)
                {
                    // One bad tick must not end the live view; the next tick starts afresh.
                    LogTickFailed(_logger, ex);
                }
                await Task.Delay(Tick, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Takes one snapshot and publishes it (the loop calls this every tick; tests call it directly).</summary>
    internal LiveSnapshot Update()
    {
        var snapshot = _state.GetSnapshot();
        var at = snapshot.TakenAt;
        var seconds = Math.Max((at - _previousAt).TotalSeconds, 0.001);
        var firstTick = _previousBytes.Count == 0 && _previousTotals == default;
        var sessions = new List<LiveSession>(snapshot.Allocations.Count);
        var bytes = new Dictionary<string, (long In, long Out, string Client, string Relayed)>(snapshot.Allocations.Count, StringComparer.Ordinal);
        long udp = 0, tcp = 0, tls = 0;
        foreach (var allocation in snapshot.Allocations)
        {
            double rateIn = 0, rateOut = 0;
            string client, relayed;
            if (_previousBytes.TryGetValue(allocation.Id, out var previous))
            {
                rateIn = Math.Max(0, allocation.BytesFromClient - previous.In) * 8 / seconds;
                rateOut = Math.Max(0, allocation.BytesToClient - previous.Out) * 8 / seconds;
                (client, relayed) = (previous.Client, previous.Relayed);
            }
            else
            {
                client = $"{allocation.ClientAddress} ({Transport(allocation.Transport)})";
                relayed = allocation.RelayedAddress.ToString();
            }
            bytes[allocation.Id] = (allocation.BytesFromClient, allocation.BytesToClient, client, relayed);
            sessions.Add(new LiveSession(allocation, client, relayed, rateIn, rateOut, _node));
            switch (allocation.Transport)
            {
                case RelayTransport.Udp: udp++; break;
                case RelayTransport.Tcp: tcp++; break;
                default: tls++; break;
            }
        }

        // Server-wide bytes over every transport (monotonic, ended allocations included): to peers is in, to clients out.
        var traffic = _status.GetTrafficTotals().All;
        var totalIn = traffic.BytesToPeer;
        var totalOut = traffic.BytesToClient;
        var events = (_events.AllocationsCreated, _events.AuthFailures, _events.QuotaRejections);
        var sample = new RelaySample(at, sessions.Count, udp, tcp, tls,
            firstTick ? 0 : Math.Max(0, totalIn - _previousTotals.In) * 8 / seconds,
            firstTick ? 0 : Math.Max(0, totalOut - _previousTotals.Out) * 8 / seconds,
            events.AllocationsCreated - _previousEvents.Created,
            events.AuthFailures - _previousEvents.AuthFailures,
            events.QuotaRejections - _previousEvents.QuotaRejections);
        _previousBytes = bytes;
        _previousAt = at;
        _previousTotals = (totalIn, totalOut);
        _previousEvents = events;

        var live = new LiveSnapshot(at, sessions, sample);
        Volatile.Write(ref _current, live);
        _history.Add(sample);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                subscriber(live);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(_logger, ex);
            }
        }
        return live;
    }

    internal static string Transport(RelayTransport transport) => transport switch
    {
        RelayTransport.Udp => "UDP",
        RelayTransport.Tcp => "TCP",
        _ => "TLS",
    };

    private void Unsubscribe(Action<LiveSnapshot> onTick)
    {
        lock (_subscribersLock) _subscribers = [.. _subscribers.Where(s => s != onTick)];
    }

    private sealed class Subscription(LiveRelayFeed feed, Action<LiveSnapshot> onTick) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) feed.Unsubscribe(onTick);
        }
    }

    [LoggerMessage(EventId = 3601, Level = LogLevel.Error, Message = "Live relay feed tick failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3602, Level = LogLevel.Error, Message = "A live relay feed subscriber failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);
}
