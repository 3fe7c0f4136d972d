using System.Net;
using Admin.Web.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Live;

/// <summary>
/// The shared feed: one snapshot per tick for everyone, rates from consecutive snapshots, server-wide rates from the relay's
/// traffic totals, event counts per tick.
/// </summary>
public sealed class LiveRelayFeedTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Update_TwoTicks_RatesFromDeltas_EventsCountedPerTick_SubscribersShareOneSnapshot()
    {
        var time = new FakeTimeProvider(Start);
        var state = new FakeRelayState(time);
        var events = new RelayEventCounter();
        var history = new RelaySampleHistory();
        var status = new FakeRelayStatus();
        using var feed = new LiveRelayFeed(state, status, events, history, time, NullLogger<LiveRelayFeed>.Instance);
        var seen = new List<LiveSnapshot>();
        using var first = feed.Subscribe(seen.Add);
        using var second = feed.Subscribe(seen.Add);

        state.Bytes = (1000, 2000);
        status.Totals = new RelayTrafficTotals(new(10_000, 20_000, 10, 20), new(1_000, 2_000, 1, 2), default);
        var firstTick = feed.Update();
        time.Advance(TimeSpan.FromSeconds(1));
        state.Bytes = (2000, 4000);
        // Since the first tick: UDP 2,000 bytes in and 4,000 out, TCP 1,000 in and 2,000 out (an allocation that ended counts too).
        status.Totals = new RelayTrafficTotals(new(12_000, 24_000, 12, 24), new(2_000, 4_000, 2, 4), default);
        events.OnEvent(new RelayEvent(RelayEventKind.AuthenticationFailed, Start, "", "x", "r", null, RelayTransport.Udp, "wrong", 0, 0, 0, 0));
        events.OnEvent(new RelayEvent(RelayEventKind.AllocationCreated, Start, "a", "x", "r", null, RelayTransport.Udp, null, 0, 0, 0, 0));
        var live = feed.Update();

        var session = live.Sessions.Single();
        Assert.Equal(8000, session.BitsPerSecondIn, 3);
        Assert.Equal(16000, session.BitsPerSecondOut, 3);
        Assert.Equal("192.0.2.1:5000 (UDP)", session.ClientText);
        Assert.Equal(0, firstTick.Totals.BitsPerSecondIn);
        Assert.Equal(24_000, live.Totals.BitsPerSecondIn, 3);
        Assert.Equal(48_000, live.Totals.BitsPerSecondOut, 3);
        Assert.Equal(1, live.Totals.AuthFailures);
        Assert.Equal(1, live.Totals.AllocationsCreated);
        Assert.Equal(1, live.Totals.ActiveUdp);
        Assert.Equal(4, seen.Count);
        Assert.Same(seen[2], seen[3]);
        Assert.Same(live, feed.Current);
        Assert.Equal(2, history.Seconds().Count);
        Assert.Equal(2, state.SnapshotsTaken);
    }

    [Fact]
    public void UpdateTotals_NobodyWatching_RecordsTheTotalsWithoutASnapshot_TheNextReadTakesOne()
    {
        // Issue 17: an unwatched server does not snapshot every allocation each second; the history still gets its sample.
        var time = new FakeTimeProvider(Start);
        var state = new FakeRelayState(time);
        var history = new RelaySampleHistory();
        var status = new FakeRelayStatus();
        using var feed = new LiveRelayFeed(state, status, new RelayEventCounter(), history, time, NullLogger<LiveRelayFeed>.Instance);
        status.Totals = new RelayTrafficTotals(new(10_000, 20_000, 10, 20), default, default) { Allocations = new RelayAllocationCounts(1, 0, 0) };
        feed.UpdateTotals();
        time.Advance(TimeSpan.FromSeconds(1));
        status.Totals = new RelayTrafficTotals(new(12_000, 24_000, 12, 24), default, default) { Allocations = new RelayAllocationCounts(1, 2, 0) };
        var quiet = feed.UpdateTotals();

        Assert.Equal(0, state.SnapshotsTaken);
        Assert.Empty(quiet.Sessions);
        Assert.Equal(3, quiet.Totals.ActiveAllocations);
        Assert.Equal(1, quiet.Totals.ActiveUdp);
        Assert.Equal(2, quiet.Totals.ActiveTcp);
        Assert.Equal(16_000, quiet.Totals.BitsPerSecondIn, 3);
        Assert.Equal(2, history.Seconds().Count);

        // A reader (the API, a page) gets the sessions at once, and the ticks after it are full again.
        state.Bytes = (3000, 6000);
        var read = feed.Current;
        Assert.Equal(1, state.SnapshotsTaken);
        Assert.Equal("a1", Assert.Single(read.Sessions).Id);
        Assert.Same(read, feed.LocalCurrent);
        Assert.Equal(1, state.SnapshotsTaken);
    }

    private sealed class FakeRelayState(TimeProvider time) : IRelayState
    {
        public (long In, long Out) Bytes { get; set; }

        public int SnapshotsTaken { get; private set; }

        public RelayStateSnapshot GetSnapshot()
        {
            SnapshotsTaken++;
            var client = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5000);
            return new RelayStateSnapshot(time.GetUtcNow(),
            [
                new AllocationSnapshot("a1", "alice", "example.org", client, RelayTransport.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.9"), 50000),
                    Start, Start.AddMinutes(10), [], [], Bytes.In, 1, Bytes.Out, 1),
            ]);
        }

        public IDisposable Subscribe(Action onChanged) => throw new NotSupportedException();
    }

    private sealed class FakeRelayStatus : IRelayStatus
    {
        public RelayTrafficTotals Totals { get; set; } = RelayTrafficTotals.Zero;

        public IReadOnlyList<IPEndPoint> UdpEndPoints => [];

        public IReadOnlyList<IPEndPoint> TcpEndPoints => [];

        public IReadOnlyList<IPEndPoint> TlsEndPoints => [];

        public bool IsListening => false;
        public bool IsFull => false;

        public RelayTrafficTotals GetTrafficTotals() => Totals;
    }
}
