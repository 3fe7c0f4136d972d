using System.Globalization;
using Turnstone.TestSupport;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Hosting;

/// <summary>
/// Builds and starts the real turnstone app (Program, `turnstone serve`) for a fixture, with the settings every
/// E2E host shares: a fresh database, its own data directory, a bootstrap admin, no metrics listener, the relay on
/// 127.0.0.1 with OS-chosen listener ports, no TLS, and relay ports leased from <see cref="PortRangeAllocator"/>.
/// What differs between fixtures is a named option here.
/// </summary>
public sealed class AppFixtureBuilder(string name)
{
    public const string DefaultAdminPassword = "e2e-Admin-Passw0rd";

    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
    private string _adminPassword = DefaultAdminPassword;
    private int _relayPorts = 100;
    private bool _metricsListener;
    private bool _appConfiguresKestrel;
    private bool _ipv6;
    private TestCertificateAuthority? _authority;
    private TestDatabase? _sharedDatabase;

    /// <summary>TURNSTONE_ADMIN_PASSWORD: the password of the bootstrap superuser "admin".</summary>
    public AppFixtureBuilder WithAdminPassword(string password)
    {
        _adminPassword = password;
        return this;
    }

    /// <summary>Relay:DefaultRealm: the realm the relay offers in its 401 answers.</summary>
    public AppFixtureBuilder WithRelayRealm(string realm) => With("Relay:DefaultRealm", realm);

    /// <summary>Relay:AllowLoopbackPeers (echo peers and the other browser's relay live on loopback).</summary>
    public AppFixtureBuilder AllowLoopbackPeers(bool allow = true) => With("Relay:AllowLoopbackPeers", allow ? "true" : "false");

    /// <summary>How many relay ports to lease (Relay:MinPort..MaxPort).</summary>
    public AppFixtureBuilder WithRelayPorts(int count)
    {
        _relayPorts = count;
        return this;
    }

    /// <summary>TURN over TLS on a free port, with a certificate for localhost/127.0.0.1/::1 from <paramref name="authority"/>.</summary>
    public AppFixtureBuilder WithTls(TestCertificateAuthority authority)
    {
        _authority = authority;
        return this;
    }

    /// <summary>The relay listens on ::1 too (OS-chosen port), so clients there get IPv6 relays on ::1.</summary>
    public AppFixtureBuilder ListenOnIPv6Loopback()
    {
        _ipv6 = true;
        return this;
    }

    /// <summary>The metrics listener on a free port (Metrics:Port), as an operator runs it.</summary>
    public AppFixtureBuilder WithMetricsListener()
    {
        _metricsListener = true;
        return this;
    }

    /// <summary>Kestrel as the app configures it (Urls = http://127.0.0.1:0 plus the metrics listener), not bound by the test.</summary>
    public AppFixtureBuilder WithAppConfiguredKestrel()
    {
        _appConfiguresKestrel = true;
        return With("urls", "http://127.0.0.1:0");
    }

    /// <summary>
    /// Runs on <paramref name="database"/> instead of a fresh one, e.g. a second cluster node on the first one's database;
    /// the app then leaves the database to its owner when disposed.
    /// </summary>
    public AppFixtureBuilder OnDatabase(TestDatabase database)
    {
        _sharedDatabase = database;
        return this;
    }

    /// <summary>Any other setting (Api:*, Usage:*, Logging:*...).</summary>
    public AppFixtureBuilder With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public async Task<TestApp> StartAsync()
    {
        var ownsDatabase = _sharedDatabase is null;
        var database = _sharedDatabase ?? await TestDatabase.CreateAsync();
        var directory = Directory.CreateTempSubdirectory($"turnstone-{name}-").FullName;
        var relayPorts = PortRangeAllocator.Allocate(_relayPorts);
        try
        {
            var settings = Settings(database, directory, relayPorts, out var metricsPort, out var caFile);
            var factory = PortalFactory.Start(settings, _appConfiguresKestrel);
            return new TestApp(factory, database, directory, relayPorts, metricsPort, caFile, ownsDatabase);
        }
        catch
        {
            relayPorts.Dispose();
            if (ownsDatabase) await database.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    private Dictionary<string, string?> Settings(TestDatabase database, string directory, PortRange relayPorts, out int metricsPort, out string? caFile)
    {
        metricsPort = _metricsListener ? FreePort.TcpAndUdp() : 0;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Admin"] = database.ConnectionString,
            // The bootstrap reads it through configuration, where the environment variable lands too.
            ["TURNSTONE_ADMIN_PASSWORD"] = _adminPassword,
            ["Turnstone:DataDirectory"] = Path.Combine(directory, "data"),
            // 0 = no metrics listener: parallel hosts would all bind the default 9641.
            ["Metrics:Port"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            ["Relay:ListenAddresses:0"] = "127.0.0.1",
            ["Relay:Port"] = "0",
            ["Relay:TlsPort"] = "0",
            ["Relay:MinPort"] = relayPorts.MinSetting,
            ["Relay:MaxPort"] = relayPorts.MaxSetting,
            // A fixture's tests share a few users, and uclient leaves its allocations (EVEN-PORT pairs) to expire:
            // no per-user quota unless a fixture sets one (the default quota has a test of its own).
            ["Relay:UserQuota"] = "0",
            // Every client is on 127.0.0.1, unlike the internet: no per-source request rate (the hostile suite keeps it).
            ["Relay:RequestsPerSecondPerSource"] = "0",
        };
        // Only when asked: a null entry would bind as an empty (invalid) address.
        if (_ipv6) settings["Relay:ListenAddresses:1"] = "::1";

        caFile = null;
        if (_authority is not null)
        {
            var (certificate, key) = _authority.IssueServerCertificate(Path.Combine(directory, "certificate"));
            caFile = _authority.WriteCertificate(Path.Combine(directory, "ca.pem"));
            settings["Relay:TlsPort"] = (_ipv6 ? FreePort.TcpAndUdpOnBothLoopbacks() : FreePort.TcpAndUdp()).ToString(CultureInfo.InvariantCulture);
            settings["Relay:TlsCertificatePath"] = certificate;
            settings["Relay:TlsKeyPath"] = key;
        }

        foreach (var (key, value) in _settings) settings[key] = value;
        return settings;
    }
}
