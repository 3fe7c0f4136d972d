using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Admin.E2E.Tests.Relay;
using Npgsql;
using Turnstone.TestSupport;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// Three (or more) `turnstone serve` nodes on one PostgreSQL, each in its own network namespace with its own address
/// (<see cref="ClusterNetwork"/>), as real hosts: the database is reached through a forwarder on the bridge
/// (<see cref="PostgresForwarder"/>), each node has its own Usage:Node, TURN/portal/internal addresses, and all share
/// one Cluster:Key. The first node starts alone (it migrates the fresh database), the others after it, together.
/// A realm with the given users is added with the CLI. Everything stops on dispose, also after a failed start:
/// processes by PID, then the forwarder, the namespaces and links, the database.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    public const string Realm = "cluster.turnstone.test";
    public const string UserPassword = "cluster-User-Passw0rd";
    public const string AdminPassword = "cluster-Admin-Passw0rd";

    /// <summary>Shared by every node (≥ 32 characters, as the contract requires).</summary>
    public const string ClusterKey = "cluster-tests-key-0123456789abcdefghijklmnop";

    private static readonly string[] NodeNames = ["node-a", "node-b", "node-c", "node-d", "node-e"];

    private readonly List<ClusterNode> _nodes = [];
    private readonly List<string> _directories = [];
    private ClusterNetwork? _network;
    private PostgresForwarder? _forwarder;
    private TestDatabase? _database;
    private string? _token;

    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    public ClusterNetwork Network => _network ?? throw new InvalidOperationException("Not started.");

    public PostgresForwarder Forwarder => _forwarder ?? throw new InvalidOperationException("Not started.");

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not started.");

    /// <summary>The CLI, run here (it reaches the database on 127.0.0.1 directly).</summary>
    public TurnstoneCommandLine Cli => new(Database.ConnectionString);

    /// <summary>
    /// Builds the network, the database and the nodes, then the realm and <paramref name="users"/> (all with
    /// <see cref="UserPassword"/>). <paramref name="settings"/> (configuration keys such as Relay:UserQuota) go over
    /// every node's defaults here.
    /// </summary>
    public static async Task<ClusterHarness> StartAsync(int nodes, IEnumerable<string> users, IReadOnlyDictionary<string, string>? settings = null)
    {
        var harness = new ClusterHarness();
        try
        {
            await harness.BuildAsync(nodes, settings ?? new Dictionary<string, string>());
            // One CLI run (a process start costs seconds on a busy machine): the API token; the rest through node A's API.
            harness._token = (await harness.Cli.RunOkAsync("token", "add", "--user", "admin", "--label", "cluster tests")).Trim();
            using var api = harness.ApiClient(harness._nodes[0]);
            await EnsureCreatedAsync(await api.PostAsJsonAsync("api/v1/realms", new { name = Realm, description = "cluster tests" }));
            foreach (var user in users)
                await EnsureCreatedAsync(await api.PostAsJsonAsync($"api/v1/realms/{Realm}/users", new { name = user, password = UserPassword }));
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync(int nodes, IReadOnlyDictionary<string, string> settings)
    {
        _network = await ClusterNetwork.CreateAsync(nodes);
        _database = await TestDatabase.CreateAsync();
        var server = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        var postgres = new IPEndPoint(IPAddress.Parse(server.Host!), server.Port);
        _forwarder = PostgresForwarder.Start(_network.Gateway, postgres);
        var viaForwarder = new NpgsqlConnectionStringBuilder(_database.ConnectionString)
        {
            Host = _forwarder.EndPoint.Address.ToString(),
            Port = _forwarder.EndPoint.Port,
        }.ConnectionString;

        for (var i = 0; i < nodes; i++)
        {
            var directory = Directory.CreateTempSubdirectory($"turnstone-cluster-{NodeNames[i]}-").FullName;
            _directories.Add(directory);
            var address = _network.Addresses[i];
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ConnectionStrings__Admin"] = viaForwarder,
                ["TURNSTONE_ADMIN_PASSWORD"] = AdminPassword,
                ["ASPNETCORE_URLS"] = $"http://{address}:{ClusterNode.PortalPort}",
                ["Turnstone__DataDirectory"] = Path.Combine(directory, "data"),
                ["Metrics__Port"] = "0",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Usage__Node"] = NodeNames[i],
                ["Relay__ListenAddresses__0"] = address.ToString(),
                ["Relay__Port"] = ClusterNode.TurnPort.ToString(CultureInfo.InvariantCulture),
                ["Relay__TlsPort"] = "5349",
                ["Relay__TlsGeneratedDirectory"] = Path.Combine(directory, "tls"),
                // Each namespace has its own port space: a wide range, no allocator needed.
                ["Relay__MinPort"] = "40000",
                ["Relay__MaxPort"] = "49999",
                ["Relay__DefaultRealm"] = Realm,
                ["Relay__RequestsPerSecondPerSource"] = "0",
                ["Cluster__Key"] = ClusterKey,
                ["Cluster__InternalUrl"] = $"http://{address}:{ClusterNode.InternalPort}",
                ["Cluster__HeartbeatInterval"] = "00:00:01",
                ["Cluster__NodeDownAfter"] = "00:00:04",
                // 2 s, not 0.8: on a 2-core machine shared with builds a healthy peer can take longer than 0.8 s to answer.
                ["Cluster__PeerTimeout"] = "00:00:02",
            };
            foreach (var (name, value) in settings)
                environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
            _nodes.Add(new ClusterNode(NodeNames[i], _network.Namespaces[i], address, environment));
        }

        // The first node migrates the empty database; the others then start together.
        await _nodes[0].StartAsync();
        await Task.WhenAll(_nodes.Skip(1).Select(n => n.StartAsync()));
    }

    /// <summary>The node named <paramref name="name"/>.</summary>
    public ClusterNode Node(string name) => _nodes.Single(n => n.Name == name);

    /// <summary>A user's view of node <paramref name="node"/> over UDP.</summary>
    public TurnServerTarget Target(ClusterNode node, string user) =>
        new(node.Address.ToString(), ClusterNode.TurnPort, ClientTransport.Udp, Realm, user, UserPassword);

    /// <summary>An HTTP client of <paramref name="node"/>'s API as the bootstrap superuser (one token: the database is shared).</summary>
    public HttpClient ApiClient(ClusterNode node)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
        return client;
    }

    private static async Task EnsureCreatedAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The audit rows whose action is LIKE <paramref name="actionPattern"/> (e.g. "%drain%"), oldest first.</summary>
    public async Task<IReadOnlyList<(long Id, string Admin, string Target, string Details)>> AuditRowsAsync(string actionPattern)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, admin, target, details FROM turnstone_audit_log WHERE action LIKE $1 ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = actionPattern });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string, string, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return rows;
    }

    /// <summary>Every node's log, for failure messages.</summary>
    public string Logs() => string.Join("\n", _nodes.Select(n => $"--- {n}:\n{ClusterNode.Tail(n.Log)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        if (_forwarder is not null) await _forwarder.DisposeAsync();
        if (_network is not null) await _network.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        foreach (var directory in _directories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a dying process; the temp directory is cleaned by the OS later.
            }
        }
    }
}
