using System.Diagnostics.Metrics;
using System.Net;
using Admin.Web.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Live;

/// <summary>The shared feed: one snapshot per tick for everyone, rates from consecutive snapshots, event counts per tick.</summary>
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
        using var meters = new NoMeters();
        using var feed = new LiveRelayFeed(state, events, history, time, meters, NullLogger<LiveRelayFeed>.Instance);
        var seen = new List<LiveSnapshot>();
        using var first = feed.Subscribe(seen.Add);
        using var second = feed.Subscribe(seen.Add);

        state.Bytes = (1000, 2000);
        feed.Update();
        time.Advance(TimeSpan.FromSeconds(1));
        state.Bytes = (2000, 4000);
        events.OnEvent(new RelayEvent(RelayEventKind.AuthenticationFailed, Start, "", "x", "r", null, RelayTransport.Udp, "wrong", 0, 0, 0, 0));
        events.OnEvent(new RelayEvent(RelayEventKind.AllocationCreated, Start, "a", "x", "r", null, RelayTransport.Udp, null, 0, 0, 0, 0));
        var live = feed.Update();

        var session = live.Sessions.Single();
        Assert.Equal(8000, session.BitsPerSecondIn, 3);
        Assert.Equal(16000, session.BitsPerSecondOut, 3);
        Assert.Equal("192.0.2.1:5000 (UDP)", session.ClientText);
        Assert.Equal(1, live.Totals.AuthFailures);
        Assert.Equal(1, live.Totals.AllocationsCreated);
        Assert.Equal(1, live.Totals.ActiveUdp);
        Assert.Equal(4, seen.Count);
        Assert.Same(seen[2], seen[3]);
        Assert.Same(live, feed.Current);
        Assert.Equal(2, history.Seconds().Count);
        Assert.Equal(2, state.SnapshotsTaken);
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

    private sealed class NoMeters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options.Name, options.Version, options.Tags, this);

        public void Dispose()
        {
        }
    }
}
