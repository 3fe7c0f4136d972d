using Admin.Web.Cluster;
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
/// In a cluster (Cluster:Key set) each tick also fetches the other nodes' snapshots in parallel, bounded by
/// Cluster:PeerTimeout, and merges them: sessions carry their node, totals are summed, and the nodes that did not answer
/// are listed in <see cref="LiveSnapshot.UnavailableNodes"/>. The local part alone is <see cref="LocalCurrent"/>, what this
/// node serves to its peers.
/// Without a cluster, while nobody subscribes and nothing has read <see cref="Current"/> for <see cref="WatchWindow"/>, a
/// tick takes the totals only (the history's sample), not a snapshot of every allocation: at 2,000 allocations that
/// snapshot was about 2 MB of short-lived objects a second on a server nobody watched (issue 17). The next read takes a
/// full snapshot at once; a session's rate is then its average since the last full snapshot (or since it began).
/// </summary>
public sealed partial class LiveRelayFeed : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>How long after the last read or subscriber ticks keep taking full snapshots (without a cluster).</summary>
    public static readonly TimeSpan WatchWindow = TimeSpan.FromSeconds(30);

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
    private DateTimeOffset _previousAt;          // the previous tick (server-wide rates)
    private DateTimeOffset _previousSessionsAt;  // the previous full snapshot (per-session rates)
    private readonly Lock _tickLock = new();     // the loop's ticks and a reader's catch-up snapshot
    private long _lastRead;                      // timestamp of the last read of Current or LocalCurrent
    private bool _sessionsLeftOut;               // the published snapshot is a totals-only tick's
    private bool _sampled;                       // a tick was taken (server-wide rates need two)
    private (long In, long Out) _previousTotals;
    private (long Created, long AuthFailures, long QuotaRejections) _previousEvents;
    private LiveSnapshot _current;
    private LiveSnapshot _localCurrent;
    private readonly string _node;
    private readonly ClusterPeerClient? _peers;

    /// <param name="node">This node's name, carried by its sessions (Usage:Node).</param>
    /// <param name="peers">The other nodes to merge each tick; null = this node only (clustering off).</param>
    public LiveRelayFeed(IRelayState state, IRelayStatus status, RelayEventCounter events, RelaySampleHistory history, TimeProvider time,
        ILogger<LiveRelayFeed> logger, string node = "", ClusterPeerClient? peers = null)
    {
        _node = node;
        _peers = peers;
        _state = state;
        _status = status;
        _events = events;
        _history = history;
        _time = time;
        _logger = logger;
        _current = LiveSnapshot.Empty(time.GetUtcNow());
        _localCurrent = _current;
        _previousAt = _current.TakenAt;
        _previousSessionsAt = _previousAt;
        _lastRead = time.GetTimestamp();
    }

    /// <summary>The latest snapshot (empty until the first tick).</summary>
    public LiveSnapshot Current
    {
        get
        {
            NoteRead();
            return Volatile.Read(ref _current);
        }
    }

    /// <summary>This node's own part of the latest snapshot (what its peers fetch).</summary>
    public LiveSnapshot LocalCurrent
    {
        get
        {
            NoteRead();
            return Volatile.Read(ref _localCurrent);
        }
    }

    // A read keeps the full snapshots coming for WatchWindow; after totals-only ticks it takes one at once.
    private void NoteRead()
    {
        Volatile.Write(ref _lastRead, _time.GetTimestamp());
        if (!Volatile.Read(ref _sessionsLeftOut)) return;
        lock (_tickLock)
        {
            if (_sessionsLeftOut) Publish(TakeLocal(), PeerSnapshots.None);
        }
    }

    private bool Watched =>
        _peers is not null || Volatile.Read(ref _subscribers).Length > 0
        || _time.GetElapsedTime(Volatile.Read(ref _lastRead)) < WatchWindow;

    /// <summary>This node's name (the Node of its sessions).</summary>
    public string Node => _node;

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
                    if (_peers is not null) await UpdateClusterAsync(stoppingToken);
                    else if (Watched) Update();
                    else UpdateTotals();
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

    /// <summary>Takes one snapshot of this node only and publishes it (the loop calls this every tick without a cluster; tests call it directly).</summary>
    internal LiveSnapshot Update()
    {
        lock (_tickLock) return Publish(TakeLocal(), PeerSnapshots.None);
    }

    /// <summary>A tick nobody watches: the totals for the history, the sessions left out (the loop calls this; tests call it directly).</summary>
    internal LiveSnapshot UpdateTotals()
    {
        lock (_tickLock)
        {
            var at = _time.GetUtcNow();
            var traffic = _status.GetTrafficTotals();
            var counts = traffic.Allocations;
            var live = new LiveSnapshot(at, [], Sample(at, traffic, counts.All, counts.Udp, counts.Tcp, counts.Tls));
            Volatile.Write(ref _sessionsLeftOut, true);
            Volatile.Write(ref _localCurrent, live);
            Volatile.Write(ref _current, live);
            _history.Add(live.Totals);
            return live;
        }
    }

    /// <summary>
    /// One cluster tick: the peers' fetches start first and run while the local snapshot is taken, so the tick waits at
    /// most Cluster:PeerTimeout for the slowest peer; a peer that did not answer is left out and named.
    /// </summary>
    internal async Task<LiveSnapshot> UpdateClusterAsync(CancellationToken cancellationToken)
    {
        var fetch = _peers!.FetchSnapshotsAsync(cancellationToken);
        LiveSnapshot local;
        lock (_tickLock) local = TakeLocal();
        Volatile.Write(ref _localCurrent, local);
        var peers = await fetch;
        return Publish(local, peers);
    }

    private LiveSnapshot Publish(LiveSnapshot local, PeerSnapshots peers)
    {
        Volatile.Write(ref _localCurrent, local);
        var live = peers.Snapshots.Count == 0 && peers.Unavailable.Count == 0 ? local : Merge(local, peers);
        Volatile.Write(ref _current, live);
        _history.Add(live.Totals);
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

    /// <summary>This node's sessions followed by each peer's, with the dashboard's figures summed over the nodes that answered.</summary>
    /// <remarks>Internal for the unit tests of the sum; the feed calls it once per cluster tick.</remarks>
    internal static LiveSnapshot Merge(LiveSnapshot local, PeerSnapshots peers)
    {
        var sessions = new List<LiveSession>(local.Sessions.Count + peers.Snapshots.Sum(p => p.Allocations.Count));
        sessions.AddRange(local.Sessions);
        var t = local.Totals;
        long udp = t.ActiveUdp, tcp = t.ActiveTcp, tls = t.ActiveTls, created = t.AllocationsCreated, failures = t.AuthFailures, rejections = t.QuotaRejections;
        double bitsIn = t.BitsPerSecondIn, bitsOut = t.BitsPerSecondOut;
        foreach (var peer in peers.Snapshots)
        {
            var remote = NodeSnapshotCodec.FromWire(peer);
            sessions.AddRange(remote);
            var p = peer.Totals;
            udp += p.Udp;
            tcp += p.Tcp;
            tls += p.Tls;
            bitsIn += p.BitsPerSecondIn;
            bitsOut += p.BitsPerSecondOut;
            created += p.AllocationsCreated;
            failures += p.AuthFailures;
            rejections += p.QuotaRejections;
        }
        var totals = new RelaySample(t.At, udp + tcp + tls, udp, tcp, tls, bitsIn, bitsOut, created, failures, rejections);
        return new LiveSnapshot(local.TakenAt, sessions, totals, peers.Unavailable);
    }

    /// <summary>This node's allocations with their rates since the previous tick, and its own totals.</summary>
    private LiveSnapshot TakeLocal()
    {
        var snapshot = _state.GetSnapshot();
        var at = snapshot.TakenAt;
        var seconds = Math.Max((at - _previousSessionsAt).TotalSeconds, 0.001);
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
                // New since the last full snapshot: its average since it began.
                var age = (at - allocation.Created).TotalSeconds;
                if (age > 0 && age < seconds)
                {
                    rateIn = allocation.BytesFromClient * 8 / age;
                    rateOut = allocation.BytesToClient * 8 / age;
                }
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

        var sample = Sample(at, _status.GetTrafficTotals(), sessions.Count, udp, tcp, tls);
        _previousBytes = bytes;
        _previousSessionsAt = at;
        Volatile.Write(ref _sessionsLeftOut, false);
        return new LiveSnapshot(at, sessions, sample);
    }

    // The server-wide figures of a tick, rates since the previous tick (full or totals-only).
    private RelaySample Sample(DateTimeOffset at, RelayTrafficTotals traffic, long sessions, long udp, long tcp, long tls)
    {
        var seconds = Math.Max((at - _previousAt).TotalSeconds, 0.001);
        var firstTick = !_sampled;
        // Server-wide bytes over every transport (monotonic, ended allocations included): to peers is in, to clients out.
        var all = traffic.All;
        var totalIn = all.BytesToPeer;
        var totalOut = all.BytesToClient;
        var events = (_events.AllocationsCreated, _events.AuthFailures, _events.QuotaRejections);
        var sample = new RelaySample(at, sessions, udp, tcp, tls,
            firstTick ? 0 : Math.Max(0, totalIn - _previousTotals.In) * 8 / seconds,
            firstTick ? 0 : Math.Max(0, totalOut - _previousTotals.Out) * 8 / seconds,
            events.AllocationsCreated - _previousEvents.Created,
            events.AuthFailures - _previousEvents.AuthFailures,
            events.QuotaRejections - _previousEvents.QuotaRejections);
        _sampled = true;
        _previousAt = at;
        _previousTotals = (totalIn, totalOut);
        _previousEvents = events;
        return sample;
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
