using System.Net;
using System.Net.Http.Headers;
using Admin.Data.Administration;
using Admin.E2E.Tests.Hosting;
using Admin.E2E.Tests.Sessions;
using Admin.Web.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Turnstone.TestSupport;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// Two real `turnstone serve` apps, nodes "alpha" and "beta", on one database, each with its own portal, TURN
/// listener and internal endpoint on 127.0.0.1 (OS-chosen ports), sharing a cluster key; fast heartbeats so a test sees
/// the registry change within a second or two. Realm "cluster.test" with a few users, a turnutils_peer echo server and
/// headless Chromium for the Nodes page.
/// </summary>
public sealed class TwoNodeClusterFixture : IAsyncLifetime
{
    public const string AdminPassword = "e2e-Cluster-Passw0rd";
    public const string Realm = "cluster.test";
    public const string UserPassword = "cluster-secret";
    public const string Key = "e2e-cluster-key-0123456789abcdef0123456789";

    private IPlaywright? _playwright;

    public TestApp Alpha { get; private set; } = null!;

    public TestApp Beta { get; private set; } = null!;

    public TurnutilsPeer Peer { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public TurnServerTarget Target(TestApp node, string user) => new("127.0.0.1", node.TurnPort, ClientTransport.Udp, Realm, user, UserPassword);

    public async Task InitializeAsync()
    {
        Alpha = await Node("alpha").StartAsync();
        Beta = await Node("beta").OnDatabase(Alpha.Database).StartAsync();
        var actor = AdminActor.System;
        await Alpha.Get<RealmAdministration>().AddAsync(actor, Realm, "cluster tests", CancellationToken.None);
        foreach (var user in new[] { "ann", "ben", "cat" })
            await Alpha.Get<UserAdministration>().AddAsync(actor, Realm, user, UserPassword, CancellationToken.None);
        Peer = await TurnutilsPeer.StartAsync(IPAddress.Loopback);
        // Both nodes see each other up before any test runs.
        await Eventually.HoldsAsync(() => Task.FromResult(
            Alpha.Get<ClusterNodes>().Peers.Any(p => p.Name == "beta") && Beta.Get<ClusterNodes>().Peers.Any(p => p.Name == "alpha")),
            () => "the two nodes never saw each other in the registry");
        _playwright = await Playwright.CreateAsync();
        Browser = await HeadlessChromium.LaunchAsync(_playwright);
    }

    private static AppFixtureBuilder Node(string name) => new AppFixtureBuilder("cluster-" + name)
        .WithAdminPassword(AdminPassword)
        .WithRelayRealm(Realm)
        .AllowLoopbackPeers()
        .With("Usage:Node", name)
        .With("Cluster:Key", Key)
        .With("Cluster:InternalUrl", "http://127.0.0.1:0")
        .With("Cluster:HeartbeatInterval", "00:00:00.500")
        .With("Cluster:NodeDownAfter", "00:00:03");

    /// <summary>An HTTP client of <paramref name="node"/>'s API with a fresh token of <paramref name="admin"/>.</summary>
    public async Task<HttpClient> ApiClientAsync(TestApp node, string admin = "admin")
    {
        var created = await node.Get<ApiTokenAdministration>().CreateAsync(AdminActor.System, admin, "cluster tests", null, CancellationToken.None);
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);
        return client;
    }

    /// <summary>The audit rows of <paramref name="action"/> on <paramref name="target"/> (details as JSON text), oldest first.</summary>
    public async Task<IReadOnlyList<string>> AuditDetailsAsync(string action, string target)
    {
        await using var connection = new NpgsqlConnection(Alpha.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT details::text FROM turnstone_audit_log WHERE action = $1 AND target = $2 ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = action });
        command.Parameters.Add(new NpgsqlParameter { Value = target });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>A browser page signed in to <paramref name="node"/>'s portal as the bootstrap admin, interactive, at <paramref name="path"/>.</summary>
    public async Task<IPage> SignedInPageAsync(TestApp node, string path)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = node.BaseAddress.ToString() });
        context.SetDefaultTimeout(20_000);
        Assertions.SetDefaultExpectTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("login");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", AdminPassword);
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
        // Beta first: it runs on alpha's database, which alpha drops.
        if (Beta is not null) await Beta.DisposeAsync();
        if (Alpha is not null) await Alpha.DisposeAsync();
    }
}
