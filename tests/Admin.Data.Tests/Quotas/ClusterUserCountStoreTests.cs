using Admin.Data.Quotas;
using Admin.Data.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Admin.Data.Tests.Quotas;

/// <summary>Two nodes' stores on one real database: counts shared, the near-quota claim, a dead node's rows ignored.</summary>
public sealed class ClusterUserCountStoreTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private ClusterUserCountStore Store(string node, TimeProvider? time = null) => new(
        fixture.Services.GetRequiredService<NpgsqlDataSource>(),
        Options.Create(new ClusterQuotaOptions()),
        Options.Create(new UsageOptions { Node = node }),
        time ?? TimeProvider.System,
        NullLogger<ClusterUserCountStore>.Instance);

    [Fact]
    public async Task OtherNodesCounts_SharedNearQuotaClaimed_DeadNodeIgnored()
    {
        const string realm = "cluster-quota.test";
        var a = Store("quota-node-a");
        var b = Store("quota-node-b");
        await a.ClearOwnRowsAsync(removeHeartbeat: false, CancellationToken.None);
        await b.ClearOwnRowsAsync(removeHeartbeat: false, CancellationToken.None);

        b.LocalCountChanged(realm, "carol", 3);
        await b.FlushAsync(CancellationToken.None);
        await b.RefreshAsync(CancellationToken.None);
        await a.RefreshAsync(CancellationToken.None);

        // Far from the quota: from memory, no query.
        Assert.Equal(3, await a.CountOnOtherNodesAsync(realm, "carol", held: 0, quota: 100, CancellationToken.None));
        Assert.Equal(0, a.FreshReads);
        a.LocalCountChanged(realm, "carol", 1);
        // Near it: read and claimed in node a's row (its 1 and this one), so node b now sees it.
        Assert.Equal(3, await a.CountOnOtherNodesAsync(realm, "carol", held: 1, quota: 5, CancellationToken.None));
        Assert.Equal(1, a.FreshReads);
        await b.RefreshAsync(CancellationToken.None);
        // Full for b (3 + a's 2 + 1 > 5): refused with the quota itself.
        Assert.Equal(5, await b.CountOnOtherNodesAsync(realm, "carol", held: 3, quota: 5, CancellationToken.None));
        // Full for a too: its count and its claim still in flight, plus b's 3.
        Assert.Equal(5, await a.CountOnOtherNodesAsync(realm, "carol", held: 1, quota: 5, CancellationToken.None));

        // Node b's heartbeat ages past NodeDownAfter (killed): its rows no longer count.
        await using (var command = fixture.Services.GetRequiredService<NpgsqlDataSource>()
            .CreateCommand("UPDATE turnstone_cluster_quota_node SET heartbeat_at = now() - interval '1 hour' WHERE node = 'quota-node-b'"))
            await command.ExecuteNonQueryAsync();
        await a.RefreshAsync(CancellationToken.None);
        Assert.Equal(0, await a.CountOnOtherNodesAsync(realm, "carol", held: 0, quota: 100, CancellationToken.None));
        Assert.Equal(0, await a.CountOnOtherNodesAsync(realm, "carol", held: 3, quota: 4, CancellationToken.None));
        Assert.Equal(2, a.FreshReads);

        // A clean stop removes a node's rows and heartbeat.
        await a.ClearOwnRowsAsync(removeHeartbeat: true, CancellationToken.None);
        await using var rows = fixture.Services.GetRequiredService<NpgsqlDataSource>()
            .CreateCommand("SELECT count(*)::int FROM turnstone_cluster_user_count WHERE node = 'quota-node-a'");
        Assert.Equal(0, (int)(await rows.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Claim_OutlivesAStaleFlush_UntilTheCountReachesItOrItLapses()
    {
        const string realm = "cluster-claim.test";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = Store("claim-node-a", time);
        var b = Store("claim-node-b");
        await a.ClearOwnRowsAsync(removeHeartbeat: false, CancellationToken.None);
        a.LocalCountChanged(realm, "dave", 2);
        await a.FlushAsync(CancellationToken.None);
        // Two live nodes: at 2 of 3, an Allocate is near the quota (a fresh read and a claim).
        await b.RefreshAsync(CancellationToken.None);
        await a.RefreshAsync(CancellationToken.None);

        // Near the quota: the third unit is claimed in this node's row.
        Assert.Equal(0, await a.CountOnOtherNodesAsync(realm, "dave", held: 2, quota: 3, CancellationToken.None));
        Assert.Equal(3, await OwnRowAsync("claim-node-a", realm, "dave"));

        // A write of the count as it was before the Allocate lands (the race the claim lost before): the claim stays.
        a.LocalCountChanged(realm, "dave", 2);
        await a.FlushAsync(CancellationToken.None);
        Assert.Equal(3, await OwnRowAsync("claim-node-a", realm, "dave"));

        // The allocation is in the table: the count takes the claim's place and then moves as counts do.
        a.LocalCountChanged(realm, "dave", 3);
        await a.FlushAsync(CancellationToken.None);
        Assert.Equal(3, await OwnRowAsync("claim-node-a", realm, "dave"));
        a.LocalCountChanged(realm, "dave", 1);
        await a.FlushAsync(CancellationToken.None);
        Assert.Equal(1, await OwnRowAsync("claim-node-a", realm, "dave"));

        // A claim whose request never allocates holds for PromiseHold, then the row goes back to the true count.
        Assert.Equal(0, await a.CountOnOtherNodesAsync(realm, "dave", held: 1, quota: 3, CancellationToken.None));
        Assert.Equal(2, await OwnRowAsync("claim-node-a", realm, "dave"));
        await a.FlushAsync(CancellationToken.None);
        Assert.Equal(2, await OwnRowAsync("claim-node-a", realm, "dave"));
        time.Advance(ClusterUserCountStore.PromiseHold + TimeSpan.FromSeconds(1));
        await a.FlushAsync(CancellationToken.None);
        Assert.Equal(1, await OwnRowAsync("claim-node-a", realm, "dave"));

        // The count the engine passes (which counts every request ahead, granted or not) does not decide a claim: a's
        // count 1 and b's 1 leave room for one more of 3, whatever the requests waiting behind.
        b.LocalCountChanged(realm, "dave", 1);
        await b.FlushAsync(CancellationToken.None);
        Assert.Equal(1, await a.CountOnOtherNodesAsync(realm, "dave", held: 6, quota: 3, CancellationToken.None));
        Assert.Equal(3, await a.CountOnOtherNodesAsync(realm, "dave", held: 7, quota: 3, CancellationToken.None));
        Assert.Equal(4, a.FreshReads);
        await a.ClearOwnRowsAsync(removeHeartbeat: true, CancellationToken.None);
        await b.ClearOwnRowsAsync(removeHeartbeat: true, CancellationToken.None);
    }

    [Fact]
    public async Task Sync_WritesAChangeAtOnce_ThenAtMostOncePerWriteInterval_WithEverythingChangedMeanwhile()
    {
        const string realm = "write-spacing.test";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new ClusterQuotaOptions { WriteInterval = TimeSpan.FromMilliseconds(100) };
        var store = new ClusterUserCountStore(fixture.Services.GetRequiredService<NpgsqlDataSource>(), Options.Create(options),
            Options.Create(new UsageOptions { Node = "spacing-node" }), time, NullLogger<ClusterUserCountStore>.Instance);
        var sync = new ClusterUserCountSync(store, Options.Create(options), time);
        await sync.StartAsync(CancellationToken.None);
        try
        {
            // The first change after a quiet time is written at once.
            store.LocalCountChanged(realm, "erin", 1);
            await WaitForRowAsync("spacing-node", realm, "erin", 1);
            // The next ones, within the interval, wait for it and go in one write: the last figure of each key.
            store.LocalCountChanged(realm, "erin", 2);
            store.LocalCountChanged(realm, "erin", 3);
            store.LocalCountChanged(realm, "frank", 4);
            await Task.Delay(300);
            Assert.Equal(1, await OwnRowAsync("spacing-node", realm, "erin"));
            Assert.Equal(0, await OwnRowAsync("spacing-node", realm, "frank"));
            time.Advance(options.WriteInterval);
            await WaitForRowAsync("spacing-node", realm, "erin", 3);
            await WaitForRowAsync("spacing-node", realm, "frank", 4);
        }
        finally
        {
            await sync.StopAsync(CancellationToken.None);
        }
        // A clean stop removed the rows.
        Assert.Equal(0, await OwnRowAsync("spacing-node", realm, "erin"));
    }

    private async Task WaitForRowAsync(string node, string realm, string user, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        int seen;
        while ((seen = await OwnRowAsync(node, realm, user)) != expected && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(expected, seen);
    }

    private async Task<int> OwnRowAsync(string node, string realm, string user)
    {
        await using var command = fixture.Services.GetRequiredService<NpgsqlDataSource>()
            .CreateCommand("SELECT coalesce(max(allocations), 0)::int FROM turnstone_cluster_user_count WHERE node = $1 AND realm = $2 AND quota_user = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = node });
        command.Parameters.Add(new NpgsqlParameter { Value = realm });
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
