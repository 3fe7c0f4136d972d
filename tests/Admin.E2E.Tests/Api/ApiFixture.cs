using System.Net.Http.Headers;
using Admin.Data.Administration;
using Admin.Web.Api.Tokens;
using Admin.Web.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Hosting;
using Turnstone.TestSupport;

namespace Admin.E2E.Tests.Api;

/// <summary>
/// One running turnstone (real Kestrel, real PostgreSQL, the co-hosted relay on loopback) for the API tests.
/// Tests never share data: each makes its own realms, admins and tokens with unique names.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string AdminPassword = "api-Admin-Passw0rd";

    /// <summary>Credential requests per token per minute in this host; low so the 429 test stays short.</summary>
    public const int IceServersPermitLimit = 5;

    private TestDatabase _database = null!;
    private PortalFactory _factory = null!;
    private string _dataDirectory = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    /// <summary>The relay's UDP (and TCP) listener port, chosen by the OS.</summary>
    public int RelayPort => Services.GetRequiredService<RelayHostedService>().UdpEndPoints[0].Port;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _dataDirectory = Directory.CreateTempSubdirectory("turnstone-api-").FullName;
        var settings = HostSettings(_database, _dataDirectory, minRelayPort: 45800, maxRelayPort: 45999);
        // The real TURN client's peer is an echo server on 127.0.0.1.
        settings["Relay:AllowLoopbackPeers"] = "true";
        settings["Api:IceServersPermitLimit"] = IceServersPermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Api:IceServersWindow"] = "00:01:00";
        settings["Api:MaxTtlSeconds"] = "172800";
        _factory = PortalFactory.Start(settings);
        BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    /// <summary>
    /// Settings of a test host: its own database and data directory, the relay on loopback with OS-chosen listener
    /// ports, no TLS, and relay ports from this helper's range (so parallel runs of other areas do not collide).
    /// </summary>
    public static Dictionary<string, string?> HostSettings(TestDatabase database, string dataDirectory, int minRelayPort, int maxRelayPort) => new()
    {
        ["ConnectionStrings:Admin"] = database.ConnectionString,
        ["TURNSTONE_ADMIN_PASSWORD"] = AdminPassword,
        ["Turnstone:DataDirectory"] = dataDirectory,
        ["Metrics:Port"] = "0", // no metrics listener: parallel hosts would all bind 9641
        ["Relay:ListenAddresses:0"] = "127.0.0.1",
        ["Relay:Port"] = "0",
        ["Relay:TlsPort"] = "0",
        ["Relay:MinPort"] = minRelayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Relay:MaxPort"] = maxRelayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A client without a token (and without cookies).</summary>
    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A client with a fresh token of the bootstrap superuser "admin".</summary>
    public async Task<TokenClient> SuperuserAsync(string label = "test") => await ClientForAsync("admin", label);

    /// <summary>Creates a realm admin (and the realm, if missing) and a client with a fresh token of theirs.</summary>
    public async Task<TokenClient> RealmAdminAsync(string realm)
    {
        await EnsureRealmAsync(realm);
        var name = "ra-" + Guid.NewGuid().ToString("N")[..10];
        await Services.GetRequiredService<AdminAccountAdministration>().AddAsync(name, AdminPassword, realm, AdminActor.System, CancellationToken.None);
        return await ClientForAsync(name, "realm admin test");
    }

    public async Task<TokenClient> ClientForAsync(string adminName, string label, TimeSpan? lifetime = null)
    {
        var created = await Services.GetRequiredService<ApiTokenAdministration>().CreateAsync(AdminActor.System, adminName, label, lifetime, CancellationToken.None);
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);
        return new TokenClient(client, created);
    }

    public async Task EnsureRealmAsync(string realm)
    {
        var realms = Services.GetRequiredService<RealmAdministration>();
        try
        {
            await realms.AddAsync(AdminActor.System, realm, "test realm", CancellationToken.None);
        }
        catch (AdminOperationException e) when (e.Code == AdminErrorCode.Duplicate)
        {
            // Already there: fine.
        }
    }

    /// <summary>A realm name no other test uses.</summary>
    public static string NewRealm(string what) => $"{what}-{Guid.NewGuid().ToString("N")[..10]}.test";

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.StopAndDisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        if (_dataDirectory is not null) Directory.Delete(_dataDirectory, recursive: true);
    }
}
