using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turn.Relay.Hosting;
using Turn.Relay.Seams;
using Turnstone.TestSupport;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// The real co-hosted app (Program, `turnstone serve`: portal, admin data, relay) on a fresh database, with
/// TURN on 127.0.0.1 (UDP and TCP on one OS-chosen port, TLS on a free port with a test-CA certificate) and
/// relay ports from <c>minPort..maxPort</c> (this helper's range 45200-45499). Realms, users and secrets are
/// the CLI's to create: see <see cref="Cli"/>.
/// </summary>
internal sealed class CohostedRelayApp : IAsyncDisposable
{
    public const string Realm = "e2e.turnstone.test";

    private readonly TestDatabase _database;
    private readonly PortalFactory _factory;
    private readonly string _directory;

    private CohostedRelayApp(TestDatabase database, PortalFactory factory, string directory, string caFile)
    {
        _database = database;
        _factory = factory;
        _directory = directory;
        CaFile = caFile;
        Cli = new TurnstoneCommandLine(database.ConnectionString);
        var listeners = factory.Services.GetRequiredService<RelayHostedService>();
        Port = listeners.UdpEndPoints.Single().Port;
        TlsPort = listeners.TlsEndPoints.SingleOrDefault()?.Port ?? 0;
    }

    /// <summary>UDP and TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>TLS port on 127.0.0.1; 0 when TLS is off.</summary>
    public int TlsPort { get; }

    public IPEndPoint UdpEndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The test CA's certificate (PEM file) that signed the TLS certificate.</summary>
    public string CaFile { get; }

    public TurnstoneCommandLine Cli { get; }

    /// <summary>The app's database (to take it away and give it back).</summary>
    public TestDatabase Database => _database;

    public IServiceProvider Services => _factory.Services;

    public IRelayState RelayState => Services.GetRequiredService<IRelayState>();

    public static async Task<CohostedRelayApp> StartAsync(TestCertificateAuthority authority, int minPort, int maxPort, bool allowLoopbackPeers)
    {
        var database = await TestDatabase.CreateAsync();
        var directory = Directory.CreateTempSubdirectory("turnstone-e2e-relay-").FullName;
        try
        {
            var (certificate, key) = authority.IssueServerCertificate(Path.Combine(directory, "certificate"));
            var caFile = authority.WriteCertificate(Path.Combine(directory, "ca.pem"));
            var factory = PortalFactory.Start(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Admin"] = database.ConnectionString,
                ["TURNSTONE_ADMIN_PASSWORD"] = PortalFixture.AdminPassword,
                ["Turnstone:DataDirectory"] = Path.Combine(directory, "data"),
                ["Metrics:Port"] = "0", // no metrics listener: parallel hosts would all bind 9641
                ["Logging:LogLevel:Default"] = "Warning",
                ["Relay:ListenAddresses:0"] = "127.0.0.1",
                ["Relay:Port"] = "0",
                ["Relay:TlsPort"] = FreePort.TcpAndUdp().ToString(CultureInfo.InvariantCulture),
                ["Relay:TlsCertificatePath"] = certificate,
                ["Relay:TlsKeyPath"] = key,
                ["Relay:MinPort"] = minPort.ToString(CultureInfo.InvariantCulture),
                ["Relay:MaxPort"] = maxPort.ToString(CultureInfo.InvariantCulture),
                ["Relay:DefaultRealm"] = Realm,
                ["Relay:AllowLoopbackPeers"] = allowLoopbackPeers ? "true" : "false",
            });
            return new CohostedRelayApp(database, factory, directory, caFile);
        }
        catch
        {
            await database.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The client view: 127.0.0.1 for UDP/TCP, localhost (the certificate's name) for TLS.</summary>
    public TurnServerTarget Target(ClientTransport transport, string user, string password, string realm = Realm) => transport switch
    {
        ClientTransport.Tls => new TurnServerTarget("localhost", TlsPort, transport, realm, user, password),
        _ => new TurnServerTarget("127.0.0.1", Port, transport, realm, user, password),
    };

    /// <summary>Runs SQL against the app's database as any other process would (raw coturn-style changes).</summary>
    public async Task<int> ExecuteSqlAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>True when the engine has a live allocation on <paramref name="relayed"/>.</summary>
    public bool HasAllocation(IPEndPoint relayed) => RelayState.GetSnapshot().Allocations.Any(a => a.RelayedAddress.Equals(relayed));

    public async ValueTask DisposeAsync()
    {
        // Not a plain dispose: RelayHostedService.StopAsync is not yet safe against the concurrent stop that would race.
        await _factory.StopAndDisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
