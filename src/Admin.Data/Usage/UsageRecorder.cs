using System.Diagnostics.Metrics;
using Admin.Data.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Data.Usage;

/// <summary>
/// Rolls the relay's traffic up per (minute, realm, user): bytes and packets each way and allocation-seconds.
/// Allocation lifecycle events say when an allocation starts and ends (with its final byte counts); periodic
/// samples of <see cref="IRelayState"/> add the traffic in between. <see cref="FlushAsync"/> writes every changed
/// minute's running totals with an idempotent upsert (<see cref="UsageRollups.WriteAsync"/>): a write that failed,
/// or that succeeded but was not acknowledged, is simply written again, never counted twice. Minutes stay in memory
/// until written; while the database is away they pile up to <see cref="UsageOptions.MaxBacklogRows"/>, beyond which
/// the oldest finished minutes are dropped and counted.
/// Event handling takes a short lock on the control path (never per packet) and never throws into the engine.
/// </summary>
public sealed partial class UsageRecorder : IRelayEventSink, IDisposable
{
    public const string MeterName = "Turnstone.Usage";

    private readonly Func<IReadOnlyCollection<UsageMinute>, CancellationToken, Task> _write;
    private readonly UsageOptions _options;
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);
    private readonly Dictionary<BucketKey, Bucket> _buckets = [];
    private readonly Meter _meter;
    private readonly Counter<long> _written;
    private readonly Counter<long> _droppedCounter;
    private readonly Counter<long> _failures;
    private readonly DateTimeOffset _startedAt;
    private long _dropped;
    private bool _failing;

    public UsageRecorder(UsageRollups rollups, IOptions<UsageOptions> options, TimeProvider time, IMeterFactory meterFactory, ILogger<UsageRecorder> logger)
        : this(rollups.WriteAsync, options.Value, time, meterFactory, logger)
    {
    }

    /// <summary>With any writer (tests use one that fails on demand).</summary>
    internal UsageRecorder(Func<IReadOnlyCollection<UsageMinute>, CancellationToken, Task> write, UsageOptions options, TimeProvider time,
        IMeterFactory meterFactory, ILogger logger)
    {
        _write = write;
        _options = options;
        _node = options.EffectiveNode;
        _time = time;
        _logger = logger;
        _startedAt = time.GetUtcNow();
        _meter = meterFactory.Create(MeterName);
        _written = _meter.CreateCounter<long>("turnstone.usage.rows.written", "{row}", "Per-minute usage rows written to PostgreSQL (a minute is rewritten while it is open).");
        _droppedCounter = _meter.CreateCounter<long>("turnstone.usage.rows.dropped", "{row}", "Per-minute usage rows dropped because the in-memory backlog was full while the database was unreachable.");
        _failures = _meter.CreateCounter<long>("turnstone.usage.write.failures", "{failure}", "Usage writes that failed (they are retried).");
        _meter.CreateObservableUpDownCounter("turnstone.usage.backlog", () => (long)PendingRows, "{row}", "Per-minute usage rows not yet written.");
        // From 0 at start, so an alert's increase() sees the first failure or drop (a series starting at 1 shows none).
        _written.Add(0);
        _droppedCounter.Add(0);
        _failures.Add(0);
    }

    /// <summary>Rows changed since their last successful write.</summary>
    public int PendingRows
    {
        get
        {
            lock (_lock) return _buckets.Values.Count(b => b.Version != b.WrittenVersion);
        }
    }

    /// <summary>Rows dropped since start because the backlog overflowed.</summary>
    public long DroppedRows => Interlocked.Read(ref _dropped);

    public void OnEvent(in RelayEvent relayEvent)
    {
        if (!_options.Enabled || string.IsNullOrEmpty(relayEvent.AllocationId)) return;
        try
        {
            lock (_lock)
            {
                switch (relayEvent.Kind)
                {
                    case RelayEventKind.AllocationCreated:
                        _tracked.TryAdd(relayEvent.AllocationId, new Tracked(relayEvent.Realm, relayEvent.Username, relayEvent.At));
                        break;
                    case RelayEventKind.AllocationDeleted when _tracked.Remove(relayEvent.AllocationId, out var tracked):
                        // The event carries the final totals, so traffic after the last sample is counted too.
                        Account(tracked, relayEvent.At, relayEvent.BytesFromClient, relayEvent.BytesToClient,
                            relayEvent.PacketsFromClient, relayEvent.PacketsToClient);
                        break;
                }
            }
        }
        catch (Exception ex)
        {
            // Never into the engine; usage is lost for this allocation only.
            LogEventFailed(_logger, ex);
        }
    }

    /// <summary>Adds the traffic since the previous sample of every allocation in <paramref name="snapshot"/>.</summary>
    public void Sample(RelayStateSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_options.Enabled) return; // nothing would ever write it
        lock (_lock)
        {
            foreach (var allocation in snapshot.Allocations)
            {
                if (!_tracked.TryGetValue(allocation.Id, out var tracked))
                {
                    // Only allocations created before this recorder existed are picked up here; others are either
                    // not announced yet (next sample) or already deleted (their final counts came with the event).
                    if (allocation.Created >= _startedAt) continue;
                    tracked = new Tracked(allocation.Realm, allocation.Username, _startedAt);
                    _tracked.Add(allocation.Id, tracked);
                }
                Account(tracked, snapshot.TakenAt, allocation.BytesFromClient, allocation.BytesToClient, allocation.PacketsFromClient, allocation.PacketsToClient);
            }
        }
    }

    /// <summary>
    /// Writes every minute changed since its last write. True when the database took them (or there was nothing to
    /// write); false when the write failed, in which case the rows stay for the next flush.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        List<(Bucket Bucket, long Version)> batch;
        List<UsageMinute> rows;
        int dropped;
        lock (_lock)
        {
            dropped = Trim(now);
            batch = [];
            rows = [];
            foreach (var (key, bucket) in _buckets)
            {
                if (bucket.Version == bucket.WrittenVersion) continue;
                batch.Add((bucket, bucket.Version));
                rows.Add(new UsageMinute
                {
                    Minute = key.Minute, Node = _node, Realm = key.Realm, Name = key.Name,
                    BytesIn = bucket.BytesIn, BytesOut = bucket.BytesOut, PacketsIn = bucket.PacketsIn, PacketsOut = bucket.PacketsOut,
                    AllocationSeconds = bucket.AllocationSeconds,
                });
            }
        }
        // Logged outside the lock: the relay's event loops take it for every allocation event, and a
        // logger can block (a full console queue).
        if (dropped > 0) LogDropped(_logger, dropped, _options.MaxBacklogRows);
        if (rows.Count > 0)
        {
            try
            {
                await _write(rows, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _failures.Add(1);
                if (!_failing) LogWriteFailed(_logger, rows.Count, ex);
                _failing = true;
                return false;
            }
            _written.Add(rows.Count);
            if (_failing) LogWriteRecovered(_logger, rows.Count);
            _failing = false;
        }
        lock (_lock)
        {
            foreach (var (bucket, version) in batch) bucket.WrittenVersion = Math.Max(bucket.WrittenVersion, version);
            // A minute can still receive allocation-seconds split back from the next sample: keep it one more minute.
            var keepFrom = MinuteOf(now).AddMinutes(-1);
            foreach (var (key, bucket) in _buckets.ToList())
            {
                if (key.Minute < keepFrom && bucket.Version == bucket.WrittenVersion) _buckets.Remove(key);
            }
        }
        return true;
    }

    // Under _lock. Drops what can no longer be written correctly: minutes older than the minute retention (they
    // would be compacted again and counted twice) and, beyond the backlog bound, the oldest unwritten minutes.
    // Returns how many minutes it dropped.
    private int Trim(DateTimeOffset now)
    {
        var tooOld = now - _options.MinuteRetention + TimeSpan.FromHours(1);
        var dropped = 0;
        foreach (var key in _buckets.Keys.Where(k => k.Minute < tooOld).ToList())
        {
            _buckets.Remove(key);
            dropped++;
        }
        var excess = _buckets.Count - _options.MaxBacklogRows;
        if (excess > 0)
        {
            var current = MinuteOf(now);
            foreach (var key in _buckets.Keys.Where(k => k.Minute < current).OrderBy(k => k.Minute).Take(excess).ToList())
            {
                _buckets.Remove(key);
                dropped++;
            }
        }
        if (dropped > 0)
        {
            Interlocked.Add(ref _dropped, dropped);
            _droppedCounter.Add(dropped);
        }
        return dropped;
    }

    // Under _lock. Adds an allocation's growth since it was last accounted, and its lifetime since then split over
    // the minutes it spans, to its user's buckets.
    private void Account(Tracked tracked, DateTimeOffset at, long bytesIn, long bytesOut, long packetsIn, long packetsOut)
    {
        var deltaBytesIn = Math.Max(0, bytesIn - tracked.BytesIn);
        var deltaBytesOut = Math.Max(0, bytesOut - tracked.BytesOut);
        var deltaPacketsIn = Math.Max(0, packetsIn - tracked.PacketsIn);
        var deltaPacketsOut = Math.Max(0, packetsOut - tracked.PacketsOut);
        tracked.BytesIn = Math.Max(tracked.BytesIn, bytesIn);
        tracked.BytesOut = Math.Max(tracked.BytesOut, bytesOut);
        tracked.PacketsIn = Math.Max(tracked.PacketsIn, packetsIn);
        tracked.PacketsOut = Math.Max(tracked.PacketsOut, packetsOut);
        if ((deltaBytesIn | deltaBytesOut | deltaPacketsIn | deltaPacketsOut) != 0)
        {
            var bucket = BucketFor(MinuteOf(at), tracked);
            bucket.BytesIn += deltaBytesIn;
            bucket.BytesOut += deltaBytesOut;
            bucket.PacketsIn += deltaPacketsIn;
            bucket.PacketsOut += deltaPacketsOut;
            bucket.Version++;
        }
        var from = tracked.AccountedUntil;
        while (from < at)
        {
            var minute = MinuteOf(from);
            var end = minute.AddMinutes(1) < at ? minute.AddMinutes(1) : at;
            var bucket = BucketFor(minute, tracked);
            bucket.AllocationSeconds += (end - from).TotalSeconds;
            bucket.Version++;
            from = end;
        }
        if (at > tracked.AccountedUntil) tracked.AccountedUntil = at;
    }

    private Bucket BucketFor(DateTimeOffset minute, Tracked tracked)
    {
        var key = new BucketKey(minute, tracked.Realm, tracked.Name);
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new Bucket();
            _buckets.Add(key, bucket);
        }
        return bucket;
    }

    internal static DateTimeOffset MinuteOf(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    public void Dispose() => _meter.Dispose();

    private readonly record struct BucketKey(DateTimeOffset Minute, string Realm, string Name);

    private sealed class Bucket
    {
        public long BytesIn;
        public long BytesOut;
        public long PacketsIn;
        public long PacketsOut;
        public double AllocationSeconds;
        public long Version;
        public long WrittenVersion;
    }

    private sealed class Tracked(string realm, string name, DateTimeOffset accountedUntil)
    {
        public string Realm { get; } = realm;
        public string Name { get; } = name;
        public DateTimeOffset AccountedUntil { get; set; } = accountedUntil;
        public long BytesIn { get; set; }
        public long BytesOut { get; set; }
        public long PacketsIn { get; set; }
        public long PacketsOut { get; set; }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "Usage recorder could not handle a relay event")]
    private static partial void LogEventFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Usage write of {Rows} rows failed; keeping them and retrying")]
    private static partial void LogWriteFailed(ILogger logger, int rows, Exception exception);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Usage writes work again ({Rows} rows written)")]
    private static partial void LogWriteRecovered(ILogger logger, int rows);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Usage backlog full or too old: dropped {Rows} per-minute rows (Usage:MaxBacklogRows is {Max})")]
    private static partial void LogDropped(ILogger logger, int rows, int max);
}
