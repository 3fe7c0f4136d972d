using System.Net.Http.Headers;
using Admin.Data.Administration;
using Admin.Web.Api.Tokens;
using Admin.Web.Auth;
using Admin.E2E.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

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

    private TestApp _app = null!;

    public Uri BaseAddress => _app.BaseAddress;

    public IServiceProvider Services => _app.Services;

    /// <summary>The relay's UDP (and TCP) listener port, chosen by the OS.</summary>
    public int RelayPort => _app.TurnPort;

    public async Task InitializeAsync()
    {
        _app = await NewHost("api")
            // The real TURN client's peer is an echo server on 127.0.0.1.
            .AllowLoopbackPeers()
            .WithRelayPorts(200)
            .With("Api:IceServersPermitLimit", IceServersPermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Api:IceServersWindow", "00:01:00")
            .With("Api:MaxTtlSeconds", "172800")
            .StartAsync();
    }

    /// <summary>A host like this fixture's (same bootstrap admin password), for a test that needs its own.</summary>
    public static AppFixtureBuilder NewHost(string name) => new AppFixtureBuilder(name).WithAdminPassword(AdminPassword);

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
        if (_app is not null) await _app.DisposeAsync();
    }
}
