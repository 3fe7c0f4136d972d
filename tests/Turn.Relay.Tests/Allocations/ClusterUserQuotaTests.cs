using System.Collections.Concurrent;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Allocations;

/// <summary>The user quota counts what the other nodes hold (IClusterUserCounts), and this node publishes its own counts.</summary>
public sealed class ClusterUserQuotaTests
{
    private sealed class FakeCounts : IClusterUserCounts
    {
        public int Others { get; set; }

        public ConcurrentQueue<int> Headrooms { get; } = new();

        public ConcurrentQueue<(string Realm, string User, int Count)> Published { get; } = new();

        public ValueTask<int> CountOnOtherNodesAsync(string realm, string quotaUser, int headroom, CancellationToken cancellationToken)
        {
            Headrooms.Enqueue(headroom);
            return ValueTask.FromResult(Others);
        }

        public void LocalCountChanged(string realm, string quotaUser, int count) => Published.Enqueue((realm, quotaUser, count));
    }

    [Fact]
    public void Allocate_OtherNodesHoldPartOfTheQuota_RefusedAt486WhenTheSumReachesIt()
    {
        var counts = new FakeCounts { Others = 2 };
        using var harness = new EngineHarness(o => o.UserQuota = 3, clusterCounts: counts);

        Assert.True(harness.NewClient().Allocate().IsSuccess);
        Assert.Equal(486, harness.NewClient().Allocate().ErrorCode);

        // The store is told the headroom left on this node: 3 - 0, then 3 - 1.
        Assert.Equal([3, 2], counts.Headrooms.ToArray());
    }

    [Fact]
    public void Allocate_OtherNodesHoldNothing_LocalQuotaAsBefore()
    {
        var counts = new FakeCounts();
        using var harness = new EngineHarness(o => o.UserQuota = 2, clusterCounts: counts);

        Assert.True(harness.NewClient().Allocate().IsSuccess);
        Assert.True(harness.NewClient().Allocate().IsSuccess);
        Assert.Equal(486, harness.NewClient().Allocate().ErrorCode);
    }

    [Fact]
    public void Allocate_UnlimitedUserQuota_StoreNotAsked()
    {
        var counts = new FakeCounts { Others = 1_000 };
        using var harness = new EngineHarness(o => o.UserQuota = 0, clusterCounts: counts);

        Assert.True(harness.NewClient().Allocate().IsSuccess);
        Assert.Empty(counts.Headrooms);
    }

    [Fact]
    public void LocalCounts_PublishedOnAllocateAndOnRelease()
    {
        var counts = new FakeCounts();
        using var harness = new EngineHarness(o => o.UserQuota = 5, clusterCounts: counts);
        var first = harness.Allocated(out _);
        harness.Allocated(out _);

        Assert.True(first.Refresh(0).IsSuccess);

        Assert.Equal(
            [(EngineHarness.Realm, EngineHarness.User, 1), (EngineHarness.Realm, EngineHarness.User, 2), (EngineHarness.Realm, EngineHarness.User, 1)],
            counts.Published.ToArray());
    }
}
