using System.Net;
using Admin.Data.Administration;
using Admin.E2E.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Turnstone.TestSupport;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Sessions;

/// <summary>
/// The whole serve stack for live-view tests: the real app on real Kestrel with its portal URL (port 0) and its
/// metrics listener (a free port) configured the way an operator does (Urls, Metrics:Port), the TURN relay on
/// loopback with loopback peers allowed, a fresh database with realm "live.test" and a
/// few users, a turnutils_peer echo server, and headless Chromium.
/// </summary>
public sealed class LiveStackFixture : IAsyncLifetime
{
    public const string AdminPassword = "e2e-Live-Passw0rd";
    public const string Realm = "live.test";
    public const string UserPassword = "live-secret";
    public const string OtherRealm = "other.test";
    public const string OtherRealmAdmin = "other-admin";

    private TestApp _app = null!;
    private IPlaywright _playwright = null!;

    public TestDatabase Database => _app.Database;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => _app.BaseAddress;

    public int MetricsPort => _app.MetricsPort;

    public int TurnPort => _app.TurnPort;

    public TurnutilsPeer Peer { get; private set; } = null!;

    public IServiceProvider Services => _app.Services;

    public TurnServerTarget Target(string user) => new("127.0.0.1", TurnPort, ClientTransport.Udp, Realm, user, UserPassword);

    public async Task InitializeAsync()
    {
        _app = await new AppFixtureBuilder("live")
            .WithAdminPassword(AdminPassword)
            // Kestrel as configured by the app (Urls plus the metrics listener), not by the test.
            .WithAppConfiguredKestrel()
            .WithMetricsListener()
            .WithRelayRealm(Realm)
            .AllowLoopbackPeers()
            .With("Usage:FlushInterval", "00:00:01")
            .StartAsync();

        var actor = AdminActor.System;
        await _app.Services.GetRequiredService<RealmAdministration>().AddAsync(actor, Realm, "live view tests", CancellationToken.None);
        foreach (var user in new[] { "alice", "bob", "carol", "dave", "erin", "frank", "grace" })
            await _app.Services.GetRequiredService<UserAdministration>().AddAsync(actor, Realm, user, UserPassword, CancellationToken.None);

        // A realm admin of another realm (for the scoping test).
        await _app.Services.GetRequiredService<RealmAdministration>().AddAsync(actor, OtherRealm, "another realm", CancellationToken.None);
        await _app.Services.GetRequiredService<Admin.Data.Administration.AdminAccountAdministration>().AddAsync(OtherRealmAdmin, AdminPassword, OtherRealm, actor, CancellationToken.None);
        await _app.Services.GetRequiredService<UserAdministration>().AddAsync(actor, OtherRealm, "olga", UserPassword, CancellationToken.None);

        Peer = await TurnutilsPeer.StartAsync(IPAddress.Loopback);

        _playwright = await Playwright.CreateAsync();
        Browser = await HeadlessChromium.LaunchAsync(_playwright);
    }

    /// <summary>A new browser context signed in as the bootstrap admin, on an interactive page at <paramref name="path"/>.</summary>
    public Task<IPage> SignedInPageAsync(string path) => SignedInPageAsync(path, "admin", AdminPassword);

    /// <summary>The audit rows of <paramref name="action"/> on <paramref name="target"/>, oldest first.</summary>
    public async Task<IReadOnlyList<(long Id, string Admin, string? Realm, string Details)>> AuditRowsAsync(string action, string target)
    {
        // Unpooled: the outage test kills every connection to the database, pooled idle ones included.
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, admin, realm, details FROM turnstone_audit_log WHERE action = $1 AND target = $2 ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = action });
        command.Parameters.Add(new NpgsqlParameter { Value = target });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string, string?, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
        return rows;
    }

    /// <summary>An HTTP client with a fresh API token of <paramref name="admin"/>.</summary>
    public async Task<HttpClient> ApiClientAsync(string admin)
    {
        var created = await _app.Services.GetRequiredService<Admin.Data.Administration.ApiTokenAdministration>()
            .CreateAsync(AdminActor.System, admin, "live tests", null, CancellationToken.None);
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.Token);
        return client;
    }

    /// <summary>As <see cref="SignedInPageAsync(string)"/>, signed in as another admin.</summary>
    public async Task<IPage> SignedInPageAsync(string path, string admin, string password)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        // Expect() waits 5 s by default: too short for a Blazor round trip on a busy 2-core machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("login");
        await page.FillAsync("#username", admin);
        await page.FillAsync("#password", password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync(path);
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Peer is not null) await Peer.DisposeAsync();
        if (_app is not null) await _app.DisposeAsync();
    }
}
