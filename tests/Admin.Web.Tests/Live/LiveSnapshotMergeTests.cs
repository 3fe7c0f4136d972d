using System.Net;
using Admin.Web.Cluster;
using Admin.Web.Live;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Live;

/// <summary>
/// The cluster-wide live view: the dashboard's totals are the sum over this node and every peer that answered, the
/// sessions carry their node, and a peer that did not answer is named, not counted.
/// </summary>
public sealed class LiveSnapshotMergeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 16, 0, 0, TimeSpan.Zero);

    private static LiveSession Local(string id, RelayTransport transport)
    {
        var allocation = new AllocationSnapshot(id, "ann", "example.org", new IPEndPoint(IPAddress.Parse("203.0.113.7"), 40000), transport,
            new IPEndPoint(IPAddress.Parse("198.18.7.2"), 50000), At.AddMinutes(-1), At.AddMinutes(9), [], [], 100, 1, 200, 2);
        return new LiveSession(allocation, "203.0.113.7:40000 (UDP)", "198.18.7.2:50000", 1000, 2000, "alpha");
    }

    private static AllocationWire Remote(string id, RelayTransport transport) => new(id, "example.org", "ben", (int)transport,
        "203.0.113.8:41000", "198.18.7.3:50001", At.AddMinutes(-2).ToUnixTimeMilliseconds(), At.AddMinutes(8).ToUnixTimeMilliseconds(),
        null, null, 10, 1, 20, 2, 300, 400);

    [Fact]
    public void Merge_SumsEveryFigureOverTheNodesThatAnswered_KeepsEachSessionsNode_NamesTheSilentOnes()
    {
        var local = new LiveSnapshot(At, [Local("a1", RelayTransport.Udp), Local("a2", RelayTransport.Tcp)],
            new RelaySample(At, 2, 1, 1, 0, 1_000, 2_000, 3, 1, 0));
        var beta = new NodeSnapshotWire("beta", At.ToUnixTimeMilliseconds(), new NodeTotalsWire(2, 0, 1, 10_000, 20_000, 5, 2, 1),
            [Remote("b1", RelayTransport.Udp), Remote("b2", RelayTransport.Udp), Remote("b3", RelayTransport.Tls)]);
        var gamma = new NodeSnapshotWire("gamma", At.ToUnixTimeMilliseconds(), new NodeTotalsWire(0, 1, 0, 100_000, 200_000, 7, 0, 4),
            [Remote("g1", RelayTransport.Tcp)]);

        var merged = LiveRelayFeed.Merge(local, new PeerSnapshots([beta, gamma], ["delta"]));

        var t = merged.Totals;
        Assert.Equal(At, t.At);
        Assert.Equal(1 + 2 + 0, t.ActiveUdp);
        Assert.Equal(1 + 0 + 1, t.ActiveTcp);
        Assert.Equal(0 + 1 + 0, t.ActiveTls);
        Assert.Equal(6, t.ActiveAllocations);
        Assert.Equal(111_000, t.BitsPerSecondIn);
        Assert.Equal(222_000, t.BitsPerSecondOut);
        Assert.Equal(3 + 5 + 7, t.AllocationsCreated);
        Assert.Equal(1 + 2 + 0, t.AuthFailures);
        Assert.Equal(0 + 1 + 4, t.QuotaRejections);
        Assert.Equal(["a1", "a2", "b1", "b2", "b3", "g1"], merged.Sessions.Select(s => s.Allocation.Id));
        Assert.Equal(["alpha", "alpha", "beta", "beta", "beta", "gamma"], merged.Sessions.Select(s => s.Node));
        Assert.Equal(["delta"], merged.UnavailableNodes);
        Assert.Equal(At, merged.TakenAt);
    }

    [Fact]
    public void Merge_NoPeerAnswered_TotalsAreThisNodesAlone()
    {
        var local = new LiveSnapshot(At, [Local("a1", RelayTransport.Udp)], new RelaySample(At, 1, 1, 0, 0, 500, 600, 1, 0, 0));

        var merged = LiveRelayFeed.Merge(local, new PeerSnapshots([], ["beta", "gamma"]));

        Assert.Equal(1, merged.Totals.ActiveAllocations);
        Assert.Equal(500, merged.Totals.BitsPerSecondIn);
        Assert.Equal(600, merged.Totals.BitsPerSecondOut);
        Assert.Equal(1, merged.Totals.AllocationsCreated);
        Assert.Equal(["beta", "gamma"], merged.UnavailableNodes);
    }
}
