using System.Net;
using Admin.E2E.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turn.Relay.Seams;
using Turnstone.TestSupport;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// The real co-hosted app (Program, `turnstone serve`: portal, admin data, relay) on a fresh database, with
/// TURN on 127.0.0.1 and ::1 (UDP and TCP on OS-chosen ports, TLS on a free port with a test-CA certificate) and
/// relay ports leased from the allocator. Realms, users and secrets are the CLI's to create: see <see cref="Cli"/>.
/// </summary>
internal sealed class CohostedRelayApp : IAsyncDisposable
{
    public const string Realm = "e2e.turnstone.test";

    private readonly TestApp _app;

    private CohostedRelayApp(TestApp app)
    {
        _app = app;
        Cli = new TurnstoneCommandLine(app.Database.ConnectionString);
    }

    /// <summary>UDP and TCP port on 127.0.0.1.</summary>
    public int Port => _app.TurnPort;

    /// <summary>UDP and TCP port on ::1.</summary>
    public int IPv6Port => _app.IPv6TurnPort;

    /// <summary>TLS port on 127.0.0.1 (and ::1).</summary>
    public int TlsPort => _app.TlsPort;

    public IPEndPoint UdpEndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The test CA's certificate (PEM file) that signed the TLS certificate.</summary>
    public string CaFile => _app.CaFile!;

    public TurnstoneCommandLine Cli { get; }

    /// <summary>The app's database (to take it away and give it back).</summary>
    public TestDatabase Database => _app.Database;

    public IServiceProvider Services => _app.Services;

    public IRelayState RelayState => Services.GetRequiredService<IRelayState>();

    public static async Task<CohostedRelayApp> StartAsync(TestCertificateAuthority authority, bool allowLoopbackPeers, int relayPorts)
    {
        var app = await new AppFixtureBuilder("e2e-relay")
            .With("Logging:LogLevel:Default", "Warning")
            .WithTls(authority)
            .ListenOnIPv6Loopback()
            .WithRelayRealm(Realm)
            .AllowLoopbackPeers(allowLoopbackPeers)
            .WithRelayPorts(relayPorts)
            .StartAsync();
        return new CohostedRelayApp(app);
    }

    /// <summary>The client view: 127.0.0.1 for UDP/TCP, localhost (the certificate's name) for TLS.</summary>
    public TurnServerTarget Target(ClientTransport transport, string user, string password, string realm = Realm) => transport switch
    {
        ClientTransport.Tls => new TurnServerTarget("localhost", TlsPort, transport, realm, user, password),
        _ => new TurnServerTarget("127.0.0.1", Port, transport, realm, user, password),
    };

    /// <summary>The client view over ::1 (UDP or TCP).</summary>
    public TurnServerTarget IPv6Target(ClientTransport transport, string user, string password) =>
        new("::1", IPv6Port, transport, Realm, user, password);

    /// <summary>Runs SQL against the app's database as any other process would (raw coturn-style changes).</summary>
    public async Task<int> ExecuteSqlAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(_app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>True when the engine has a live allocation on <paramref name="relayed"/>.</summary>
    public bool HasAllocation(IPEndPoint relayed) => RelayState.GetSnapshot().Allocations.Any(a => a.RelayedAddress.Equals(relayed));

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
