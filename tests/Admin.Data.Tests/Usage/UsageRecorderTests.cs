using System.Diagnostics.Metrics;
using System.Net;
using Admin.Data.Entities;
using Admin.Data.Usage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Turn.Relay.Seams;

namespace Admin.Data.Tests.Usage;

/// <summary>The rollup writer with fake time and an in-memory store that upserts like PostgreSQL (and fails on demand).</summary>
public sealed class UsageRecorderTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 30, TimeSpan.Zero);
    private static readonly IPEndPoint Client = new(IPAddress.Parse("192.0.2.1"), 5000);
    private static readonly IPEndPoint Relayed = new(IPAddress.Parse("192.0.2.9"), 50000);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly UpsertStore _store = new();
    private readonly MeterFactory _meters = new();

    [Fact]
    public async Task SamplesAndDelete_SplitAcrossMinutes_TotalsMatchTheAllocation()
    {
        using var recorder = NewRecorder();
        recorder.OnEvent(Event(RelayEventKind.AllocationCreated, "a1", 0, 0));

        _time.Advance(TimeSpan.FromSeconds(20)); // 12:00:50
        recorder.Sample(Snapshot(("a1", 1000, 4000, 10, 40)));
        _time.Advance(TimeSpan.FromSeconds(20)); // 12:01:10
        recorder.Sample(Snapshot(("a1", 1500, 4500, 15, 45)));
        _time.Advance(TimeSpan.FromSeconds(5)); // 12:01:15
        recorder.OnEvent(Event(RelayEventKind.AllocationDeleted, "a1", 1700, 4600, packetsIn: 17, packetsOut: 46));
        Assert.True(await recorder.FlushAsync(CancellationToken.None));

        var first = _store.Rows[(Minute(0), "alice")];
        var second = _store.Rows[(Minute(1), "alice")];
        Assert.Equal((1000L, 4000L), (first.BytesIn, first.BytesOut));
        Assert.Equal((700L, 600L), (second.BytesIn, second.BytesOut));
        // Packets after the last sample (12:01:10) are counted from the deletion event's totals.
        Assert.Equal((10L, 40L), (first.PacketsIn, first.PacketsOut));
        Assert.Equal((7L, 6L), (second.PacketsIn, second.PacketsOut));
        Assert.Equal(30, first.AllocationSeconds, 3);   // 12:00:30 - 12:01:00
        Assert.Equal(15, second.AllocationSeconds, 3);  // 12:01:00 - 12:01:15
        Assert.Equal("node-1", first.Node);
        Assert.Equal(0, recorder.PendingRows);
    }

    [Fact]
    public async Task DatabaseDown_RowsKeptAndRetried_NothingLostNothingDoubled()
    {
        using var recorder = NewRecorder();
        recorder.OnEvent(Event(RelayEventKind.AllocationCreated, "a1", 0, 0));
        _time.Advance(TimeSpan.FromSeconds(10));
        recorder.Sample(Snapshot(("a1", 100, 100, 1, 1)));
        Assert.True(await recorder.FlushAsync(CancellationToken.None));

        // The database goes away; traffic goes on for two more minutes.
        _store.Failing = true;
        for (var i = 0; i < 24; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            recorder.Sample(Snapshot(("a1", 100 + (i + 1) * 50, 100 + (i + 1) * 10, 1, 1)));
            Assert.False(await recorder.FlushAsync(CancellationToken.None));
        }
        Assert.True(recorder.PendingRows >= 2);

        // The write that "failed" after the server committed: the same rows come again and replace, not add.
        _store.Failing = false;
        _store.CommitThenFail = true;
        Assert.False(await recorder.FlushAsync(CancellationToken.None));
        _store.CommitThenFail = false;
        Assert.True(await recorder.FlushAsync(CancellationToken.None));

        Assert.Equal(100 + 24 * 50, _store.Rows.Values.Sum(r => r.BytesIn));
        Assert.Equal(100 + 24 * 10, _store.Rows.Values.Sum(r => r.BytesOut));
        Assert.Equal(130, _store.Rows.Values.Sum(r => r.AllocationSeconds), 3);
        Assert.Equal(0, recorder.PendingRows);
        Assert.Equal(0, recorder.DroppedRows);
    }

    [Fact]
    public async Task BacklogOverflow_OldestMinutesDroppedAndCounted_MemoryBounded()
    {
        using var recorder = NewRecorder(maxBacklog: 100);
        _store.Failing = true;
        for (var i = 0; i < 150; i++)
        {
            // A new user per minute: 150 distinct (minute, user) rows while the database is away.
            var id = "a" + i;
            recorder.OnEvent(Event(RelayEventKind.AllocationCreated, id, 0, 0, user: "u" + i));
            _time.Advance(TimeSpan.FromSeconds(20));
            recorder.OnEvent(Event(RelayEventKind.AllocationDeleted, id, 10, 10, user: "u" + i));
            _time.Advance(TimeSpan.FromSeconds(40));
            await recorder.FlushAsync(CancellationToken.None);
        }
        Assert.True(recorder.DroppedRows >= 49, $"dropped {recorder.DroppedRows}");
        Assert.InRange(recorder.PendingRows, 1, 100);

        _store.Failing = false;
        Assert.True(await recorder.FlushAsync(CancellationToken.None));
        Assert.Equal(150 - recorder.DroppedRows, _store.Rows.Count);
        // The newest minutes survived.
        Assert.Contains(_store.Rows.Keys, k => k.Name == "u149");
        Assert.DoesNotContain(_store.Rows.Keys, k => k.Name == "u0");
    }

    [Fact]
    public async Task Disabled_RecordsAndWritesNothing()
    {
        using var recorder = new UsageRecorder(_store.WriteAsync, new UsageOptions { Enabled = false }, _time, _meters, NullLogger.Instance);
        recorder.OnEvent(Event(RelayEventKind.AllocationCreated, "a1", 0, 0));
        _time.Advance(TimeSpan.FromSeconds(10));
        recorder.Sample(Snapshot(("a1", 100, 100, 1, 1)));
        recorder.OnEvent(Event(RelayEventKind.AllocationDeleted, "a1", 200, 200));

        Assert.True(await recorder.FlushAsync(CancellationToken.None));
        Assert.Equal(0, recorder.PendingRows);
        Assert.Empty(_store.Rows);
    }

    [Fact]
    public void Options_Invalid_NamedInTheMessage()
    {
        Assert.Null(new UsageOptions().Validate());
        Assert.Contains("Usage:FlushInterval", new UsageOptions { FlushInterval = TimeSpan.Zero }.Validate());
        Assert.Contains("Usage:MaxBacklogRows", new UsageOptions { MaxBacklogRows = 5 }.Validate());
        Assert.Contains("Usage:MinuteRetention", new UsageOptions { MinuteRetention = TimeSpan.FromHours(2) }.Validate());
        Assert.Contains("Usage:HourRetention", new UsageOptions { HourRetention = TimeSpan.FromDays(2) }.Validate());
        Assert.Contains("Usage:DayRetention", new UsageOptions { DayRetention = TimeSpan.FromDays(30) }.Validate());
        Assert.Null(new UsageOptions { DayRetention = TimeSpan.FromDays(400) }.Validate());
        Assert.Contains("Usage:Node", new UsageOptions { Node = new string('n', 65) }.Validate());
    }

    private UsageRecorder NewRecorder(int maxBacklog = 100_000) =>
        new(_store.WriteAsync, new UsageOptions { Node = "node-1", MaxBacklogRows = maxBacklog }, _time, _meters, NullLogger.Instance);

    private RelayEvent Event(RelayEventKind kind, string id, long bytesIn, long bytesOut, string user = "alice", long packetsIn = 0, long packetsOut = 0) =>
        new(kind, _time.GetUtcNow(), id, user, "example.org", Client, RelayTransport.Udp, null, bytesIn, bytesOut, packetsIn, packetsOut);

    private RelayStateSnapshot Snapshot(params (string Id, long BytesIn, long BytesOut, long PacketsIn, long PacketsOut)[] allocations) =>
        new(_time.GetUtcNow(), allocations.Select(a => new AllocationSnapshot(a.Id, "alice", "example.org", Client, RelayTransport.Udp, Relayed,
            Start, Start.AddMinutes(10), [], [], a.BytesIn, a.PacketsIn, a.BytesOut, a.PacketsOut)).ToList());

    private static DateTimeOffset Minute(int offset) => new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero).AddMinutes(offset);

    public void Dispose() => _meters.Dispose();

    /// <summary>Keeps rows keyed like turnstone_usage_minute and replaces on conflict, as the real upsert does.</summary>
    private sealed class UpsertStore
    {
        public Dictionary<(DateTimeOffset Minute, string Name), UsageMinute> Rows { get; } = [];

        public bool Failing { get; set; }

        public bool CommitThenFail { get; set; }

        public Task WriteAsync(IReadOnlyCollection<UsageMinute> rows, CancellationToken cancellationToken)
        {
            if (Failing) throw new TimeoutException("database down");
            foreach (var row in rows) Rows[(row.Minute, row.Name)] = row;
            if (CommitThenFail) throw new TimeoutException("acknowledgement lost");
            return Task.CompletedTask;
        }
    }

    private sealed class MeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters) meter.Dispose();
        }
    }
}
