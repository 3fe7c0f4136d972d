using System.Globalization;
using System.Net;
using Admin.E2E.Tests.Relay;
using Turnstone.TestSupport;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// `turnstone serve` as its own process (the apphost next to the tests), as an operator runs it, on a fresh
/// database, TURN on 127.0.0.1 (UDP/TCP and TLS with a test-CA certificate on free ports), the portal on a free
/// port. A child process, not the in-process host the other E2E fixtures use, because the hostile suite judges
/// the process itself: its resident memory, that it never dies, and what it logged.
/// </summary>
internal sealed class ServedTurnstone : IAsyncDisposable
{
    public const string Realm = "hostile.turnstone.test";
    public const string User = "alice";
    public const string Password = "alice-Hostile-Passw0rd";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly ExternalProcess _process;
    private readonly string _directory;
    private readonly PortRange _relayPorts;

    private ServedTurnstone(ExternalProcess process, TestDatabase database, string directory, PortRange relayPorts, int port, int tlsPort, int httpPort, string caFile)
    {
        _process = process;
        Database = database;
        _directory = directory;
        _relayPorts = relayPorts;
        Port = port;
        TlsPort = tlsPort;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/");
        CaFile = caFile;
        Cli = new TurnstoneCommandLine(database.ConnectionString);
    }

    /// <summary>UDP and TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    public int TlsPort { get; }

    public IPEndPoint UdpEndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The portal and API.</summary>
    public Uri BaseAddress { get; }

    public string CaFile { get; }

    public TestDatabase Database { get; }

    public TurnstoneCommandLine Cli { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the server printed so far (its console log, stdout and stderr).</summary>
    public string Log => _process.StandardOutput + _process.StandardError;

    /// <summary>Resident set size of the server process in bytes (VmRSS); 0 once it has exited.</summary>
    public long ResidentBytes => ProcessMemory.ResidentBytes(_process.Id);

    /// <summary>The legitimate user's view of the server.</summary>
    public TurnServerTarget Target(ClientTransport transport) => transport switch
    {
        ClientTransport.Tls => new TurnServerTarget("localhost", TlsPort, transport, Realm, User, Password),
        _ => new TurnServerTarget("127.0.0.1", Port, transport, Realm, User, Password),
    };

    /// <summary>
    /// Starts the server with <paramref name="settings"/> (configuration keys, e.g. Relay:MaxStreamConnections) over
    /// the defaults here, waits for /readyz, and adds the realm and the legitimate user with the CLI.
    /// </summary>
    public static async Task<ServedTurnstone> StartAsync(TestCertificateAuthority authority, IReadOnlyDictionary<string, string>? settings = null, int relayPorts = 100)
    {
        var database = await TestDatabase.CreateAsync();
        var directory = Directory.CreateTempSubdirectory("turnstone-hostile-").FullName;
        var ports = PortRangeAllocator.Allocate(relayPorts);
        ExternalProcess? process = null;
        try
        {
            var port = FreePort.TcpAndUdp();
            var tlsPort = FreePort.TcpAndUdp();
            var httpPort = FreePort.TcpAndUdp();
            var (certificate, key) = authority.IssueServerCertificate(Path.Combine(directory, "certificate"));
            var caFile = authority.WriteCertificate(Path.Combine(directory, "ca.pem"));
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ConnectionStrings__Admin"] = database.ConnectionString,
                ["TURNSTONE_ADMIN_PASSWORD"] = "hostile-Admin-Passw0rd",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
                ["Turnstone__DataDirectory"] = Path.Combine(directory, "data"),
                ["Metrics__Port"] = "0",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Relay__ListenAddresses__0"] = "127.0.0.1",
                ["Relay__Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["Relay__TlsPort"] = tlsPort.ToString(CultureInfo.InvariantCulture),
                ["Relay__TlsCertificatePath"] = certificate,
                ["Relay__TlsKeyPath"] = key,
                ["Relay__MinPort"] = ports.MinSetting,
                ["Relay__MaxPort"] = ports.MaxSetting,
                ["Relay__DefaultRealm"] = Realm,
            };
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
                environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;

            process = ExternalProcess.Start(TurnstoneCommandLine.ProgramPath, ["serve"], environment);
            var served = new ServedTurnstone(process, database, directory, ports, port, tlsPort, httpPort, caFile);
            await served.WaitUntilReadyAsync();
            await served.Cli.RunOkAsync("realm", "add", "--realm", Realm);
            await served.Cli.RunOkAsync("user", "add", "--realm", Realm, "--user", User, "--password", Password);
            return served;
        }
        catch
        {
            process?.Dispose();
            ports.Dispose();
            await database.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Fails the test when the server process has exited (crashed) since it started.</summary>
    public void AssertAlive()
    {
        if (_process.HasExited) Assert.Fail($"turnstone serve exited. Its log:\n{Tail(Log)}");
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartLimit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"turnstone serve exited during start:\n{Tail(Log)}");
            try
            {
                if ((await http.GetAsync("readyz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"turnstone serve was not ready within {StartLimit.TotalSeconds} s:\n{Tail(Log)}");
    }

    private static string Tail(string log) => log.Length <= 6000 ? log : log[^6000..];

    public async ValueTask DisposeAsync()
    {
        _process.Dispose();
        await Database.DisposeAsync();
        _relayPorts.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
