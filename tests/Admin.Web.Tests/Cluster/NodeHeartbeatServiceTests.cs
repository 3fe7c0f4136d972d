using Admin.Data.Cluster;
using Admin.Web.Cluster;
using Admin.Web.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Turn.Relay;

namespace Admin.Web.Tests.Cluster;

/// <summary>
/// The heartbeat against a real PostgreSQL: it registers this node, other nodes turn down after NodeDownAfter and are
/// deleted after NodeExpireAfter, and while the database is away the node keeps its last view and logs the outage once.
/// </summary>
public sealed class NodeHeartbeatServiceTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly ClusterOptions Options = new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(1),
        NodeDownAfter = TimeSpan.FromSeconds(5),
        NodeExpireAfter = TimeSpan.FromSeconds(60),
    };

    private sealed record Node(NodeHeartbeatService Service, ClusterNodes Nodes, FakeRelay Relay, ListLogger<NodeHeartbeatService> Logger) : IDisposable
    {
        public void Dispose() => Service.Dispose();
    }

    private static Node Start(string name, NpgsqlDataSource dataSource, string? externalAddress = null)
    {
        var time = TimeProvider.System;
        var relay = new FakeRelay(time);
        var nodes = new ClusterNodes(name);
        var feed = new LiveRelayFeed(relay, relay, new RelayEventCounter(), new RelaySampleHistory(), time, NullLogger<LiveRelayFeed>.Instance, name);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var internalEndpoint = new InternalEndpointServer(options, nodes, new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance, time);
        var logger = new ListLogger<NodeHeartbeatService>();
        var service = new NodeHeartbeatService(new NodeRegistry(dataSource), nodes, feed, relay, relay, internalEndpoint, options,
            Microsoft.Extensions.Options.Options.Create(new RelayOptions { ExternalAddress = externalAddress, MaxAllocations = 1 }), time,
            new ServiceCollection().BuildServiceProvider(), logger);
        return new Node(service, nodes, relay, logger);
    }

    [Fact]
    public async Task Beat_RegistersSelf_OthersGoDownThenExpire()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        using var alpha = Start("hb-alpha", dataSource, externalAddress: "198.18.7.2");
        using var beta = Start("hb-beta", dataSource);
        alpha.Relay.Drain();

        Assert.True(await beta.Service.BeatAsync(CancellationToken.None));
        Assert.True(await alpha.Service.BeatAsync(CancellationToken.None));
        var seen = alpha.Nodes.Nodes.Where(n => n.Name.StartsWith("hb-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["hb-alpha", "hb-beta"], seen.Select(n => n.Name));
        Assert.All(seen, n => Assert.True(n.Up));
        var self = Assert.Single(seen, n => n.Self);
        Assert.Equal("hb-alpha", self.Name);
        Assert.True(self.Node.Draining);
        // Relay:ExternalAddress replaces the bound address, the bound port stays.
        Assert.Equal(["198.18.7.2:3478"], self.Node.UdpAddresses);
        Assert.Equal(Turn.Relay.Seams.BuildInfo.Version, self.Node.Version);

        // beta stops beating: older than NodeDownAfter is down, older than NodeExpireAfter is gone.
        await using (var age = dataSource.CreateCommand("UPDATE turnstone_node SET heartbeat_at = clock_timestamp() - interval '6 seconds' WHERE name = 'hb-beta'"))
            await age.ExecuteNonQueryAsync();
        Assert.True(await alpha.Service.BeatAsync(CancellationToken.None));
        Assert.False(alpha.Nodes.Find("hb-beta")!.Up);
        Assert.DoesNotContain(alpha.Nodes.Peers, p => p.Name == "hb-beta");

        await using (var age = dataSource.CreateCommand("UPDATE turnstone_node SET heartbeat_at = clock_timestamp() - interval '61 seconds' WHERE name = 'hb-beta'"))
            await age.ExecuteNonQueryAsync();
        Assert.True(await alpha.Service.BeatAsync(CancellationToken.None));
        Assert.Null(alpha.Nodes.Find("hb-beta"));

        // A beat brings it back.
        Assert.True(await beta.Service.BeatAsync(CancellationToken.None));
        Assert.True(await alpha.Service.BeatAsync(CancellationToken.None));
        Assert.True(alpha.Nodes.Find("hb-beta")!.Up);
    }

    [Fact]
    public async Task Beat_DatabaseAway_KeepsLastView_LogsOncePerOutage()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        using (var other = Start("db-other", dataSource)) Assert.True(await other.Service.BeatAsync(CancellationToken.None));

        // The same node name against a database that is not there (nothing listens on port 1), then the real one again.
        var away = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        await using var awaySource = NpgsqlDataSource.Create(away);
        using var node = Start("db-self", dataSource);
        Assert.True(await node.Service.BeatAsync(CancellationToken.None));
        var before = node.Nodes.Nodes;
        Assert.Contains(before, n => n.Name == "db-other" && n.Up);

        using var cut = Start("db-self", awaySource);
        // Carry the view over: the cut-off service publishes into the same ClusterNodes as a running node would.
        var view = cut.Nodes;
        view.Publish([.. before.Select(n => new NodeRecord(n.Node, TimeSpan.Zero))], Options.NodeDownAfter, DateTimeOffset.UtcNow);
        var kept = view.Nodes;
        for (var i = 0; i < 3; i++) Assert.False(await cut.Service.BeatAsync(CancellationToken.None));
        Assert.Same(kept, view.Nodes);
        Assert.Contains(view.Nodes, n => n.Name == "db-other" && n.Up);
        var warnings = cut.Logger.Entries.Where(r => r.Level == LogLevel.Warning).ToList();
        Assert.Single(warnings);
        Assert.Equal(3610, warnings[0].Id.Id);
    }
}
