using System.Globalization;
using Admin.E2E.Tests.Hostile;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Import;

/// <summary>
/// A served turnstone (its own process, as an operator runs it) whose users and secrets come only from
/// <c>turnstone import coturn --apply</c>: a SQLite database made by coturn's turnadmin and a written turnserver.conf.
/// Loopback peers are allowed so the clients can relay to a local echo peer.
/// </summary>
public sealed class CoturnImportedServer : IAsyncLifetime
{
    public const string Realm = "coturn.relay.test";
    public const string DatabaseUser = "alice";
    public const string DatabasePassword = "alice-from-turndb";
    public const string ConfigUser = "carol";
    public const string ConfigPassword = "carol-from-conf";
    public const string DatabaseSecret = "turndb-rest-secret";
    public const string ConfigSecret = "conf-static-auth-secret";

    private readonly TestCertificateAuthority _authority = new();
    private string _directory = "";

    internal ServedTurnstone Server { get; private set; } = null!;

    /// <summary>What the import printed (the report of the --apply run).</summary>
    public string ImportReport { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("turnstone-coturn-relay-").FullName;
        var db = Path.Combine(_directory, "turndb");
        await TurnAdmin("-a", "-b", db, "-u", DatabaseUser, "-r", Realm, "-p", DatabasePassword);
        await TurnAdmin("-s", DatabaseSecret, "-r", Realm, "-b", db);
        var key = (await TurnAdmin("-k", "-u", ConfigUser, "-r", Realm, "-p", ConfigPassword))
            .Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("0x", StringComparison.Ordinal));
        var config = Path.Combine(_directory, "turnserver.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            realm={Realm}
            lt-cred-mech
            use-auth-secret
            static-auth-secret={ConfigSecret}
            user={ConfigUser}:{key}
            fingerprint
            """));

        Server = await ServedTurnstone.StartAsync(_authority, new Dictionary<string, string>
        {
            ["Relay:DefaultRealm"] = Realm,
            ["Relay:AllowLoopbackPeers"] = "true",
        });
        ImportReport = await Server.Cli.RunOkAsync("import", "coturn", "--config", config, "--db", db, "--apply");
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        _authority.Dispose();
        if (_directory.Length > 0) Directory.Delete(_directory, recursive: true);
    }

    public TurnServerTarget Target(ClientTransport transport, string user, string password) =>
        new("127.0.0.1", Server.Port, transport, Realm, user, password);

    private static async Task<string> TurnAdmin(params string[] arguments)
    {
        var result = await ExternalProcess.RunAsync("/usr/bin/turnadmin", arguments, TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0 || result.TimedOut) throw new InvalidOperationException($"turnadmin {string.Join(' ', arguments)}: {result.Output}");
        return result.StandardOutput;
    }
}
