using System.Globalization;
using System.Net;
using Admin.E2E.Tests.Hosting;
using Admin.E2E.Tests.Relay;
using Npgsql;
using Turn.Protocol;
using Turnstone.TestSupport;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// The cluster-wide user quota measured: three serve hosts (the real app, each with its own Usage:Node, TURN port and
/// relay ports) on one PostgreSQL database, and for each round a fresh user whose clients all ask at once, spread over
/// the three nodes, for more allocations than the quota. The overshoot is what succeeded beyond the quota; the figures
/// are in docs/CLUSTER-DEPLOY.md.
/// </summary>
public sealed class ClusterQuotaOvershootTests(ITestOutputHelper output)
{
    private const string Realm = "quota.cluster.test";
    private const int Nodes = 3;
    private const int Quota = 4;
    private const int ClientsPerNode = 8;
    private const int Rounds = 6;

    [Fact]
    public async Task ConcurrentAllocateOnThreeNodes_UserQuotaHoldsWithinTheDocumentedOvershoot()
    {
        await using var database = await TestDatabase.CreateAsync();
        var directory = Directory.CreateTempSubdirectory("turnstone-cluster-quota-").FullName;
        var nodes = new List<(PortalFactory App, int Port, PortRange Relay)>();
        try
        {
            // One at a time: the first migrates the database, the others find it migrated.
            for (var i = 0; i < Nodes; i++) nodes.Add(StartNode(database, directory, i));
            await WaitForHeartbeatsAsync(database);

            var results = new List<int>();
            // Every round's sockets stay open to the end: a closed one's port could be handed to a later round's client by
            // the OS, whose Allocate would then meet the old allocation on that 5-tuple (437, correctly) instead of the quota.
            var held = new List<RawTurnClient>();
            try
            {
            for (var round = 0; round < Rounds; round++)
            {
                var user = $"quota-user-{round}";
                await ExecuteAsync(database, "INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, $2, $3)", Realm, user, LongTermKey.ComputeHex(user, Realm, "pw"));
                var clients = new List<RawTurnClient>();
                try
                {
                    foreach (var node in nodes)
                    {
                        for (var c = 0; c < ClientsPerNode; c++)
                        {
                            var client = RawTurnClient.Udp(new IPEndPoint(IPAddress.Loopback, node.Port));
                            client.Username = user;
                            client.Password = "pw";
                            clients.Add(client);
                        }
                    }
                    // Every client has its 401 first, so the Allocates below reach the quota check together.
                    await Task.WhenAll(clients.Select(async c =>
                    {
                        var challenge = await c.RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false);
                        (c.Realm, c.Nonce) = (challenge.Realm, challenge.Nonce);
                    }));
                    var answers = await Task.WhenAll(clients.Select(c => c.RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17))));
                    var granted = answers.Count(a => a.ErrorCode == 0);
                    Assert.All(answers, a => Assert.Contains(a.ErrorCode, new[] { 0, 486 }));
                    results.Add(granted);
                    var perNode = Enumerable.Range(0, Nodes).Select(n => answers.Skip(n * ClientsPerNode).Take(ClientsPerNode).Count(a => a.ErrorCode == 0));
                    output.WriteLine($"round {round}: {clients.Count} clients on {Nodes} nodes, quota {Quota}: {granted} granted (overshoot {granted - Quota}; per node {string.Join("/", perNode)})");
                }
                finally
                {
                    held.AddRange(clients);
                }
            }
            }
            finally
            {
                foreach (var client in held) await client.DisposeAsync();
            }
            output.WriteLine($"granted per round: {string.Join(", ", results)}; worst overshoot {results.Max() - Quota}");
            // The quota is reached, and overshot by at most the other nodes' grants from memory (each node's fair share,
            // Quota / Nodes, taken in the few milliseconds before they are written): docs/CLUSTER-DEPLOY.md.
            Assert.All(results, granted => Assert.InRange(granted, Quota, Quota + (Nodes - 1) * (Quota / Nodes)));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.App.StopAndDisposeAsync();
                node.Relay.Dispose();
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (PortalFactory, int, PortRange) StartNode(TestDatabase database, string directory, int index)
    {
        var relay = PortRangeAllocator.Allocate(100);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Admin"] = database.ConnectionString,
            ["TURNSTONE_ADMIN_PASSWORD"] = AppFixtureBuilder.DefaultAdminPassword,
            ["Turnstone:DataDirectory"] = Path.Combine(directory, $"node-{index}"),
            ["Metrics:Port"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Usage:Node"] = $"quota-node-{index}",
            ["Relay:ListenAddresses:0"] = "127.0.0.1",
            ["Relay:Port"] = "0",
            ["Relay:TlsPort"] = "0",
            ["Relay:MinPort"] = relay.MinSetting,
            ["Relay:MaxPort"] = relay.MaxSetting,
            ["Relay:DefaultRealm"] = Realm,
            ["Relay:UserQuota"] = Quota.ToString(CultureInfo.InvariantCulture),
            ["Relay:RequestsPerSecondPerSource"] = "0",
            ["Relay:UnauthenticatedAnswersPerSecond"] = "0",
        };
        var app = PortalFactory.Start(settings);
        return (app, RelayListenerPorts.Read(app.Services).Port, relay);
    }

    // Each node counts the live nodes at its refresh: wait until all three have written a heartbeat, then one more beat.
    private static async Task WaitForHeartbeatsAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        for (var i = 0; i < 100; i++)
        {
            await using var command = new NpgsqlCommand("SELECT count(*)::int FROM turnstone_cluster_quota_node", connection);
            if ((int)(await command.ExecuteScalarAsync())! == Nodes) break;
            await Task.Delay(100);
        }
        await Task.Delay(TimeSpan.FromSeconds(1.5));
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync();
    }
}
