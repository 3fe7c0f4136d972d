using System.Net;
using Admin.Data.Administration;
using Admin.E2E.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Operations;

/// <summary>
/// The serve stack for the operator pages (ICE test, Server, Sessions, Dashboard): the real app with the relay on
/// loopback (loopback peers allowed, so the browser's two peer connections can reach each other's relays), realm
/// "ops.test" (the default realm) with a shared secret and users, realm "other.test" with its own secret and realm
/// admin, and headless Chromium with the WebRTC switches this closed machine needs.
/// </summary>
public sealed class OperatorPortalFixture : IAsyncLifetime
{
    public const string AdminPassword = "e2e-Ops-Passw0rd";
    public const string Realm = "ops.test";
    public const string OtherRealm = "other.test";
    public const string OtherRealmAdmin = "other-admin";
    public const string UserPassword = "ops-secret";

    private TestApp _app = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public TestApp App => _app;

    public IPEndPoint TurnEndPoint => new(IPAddress.Loopback, _app.TurnPort);

    public async Task InitializeAsync()
    {
        _app = await new AppFixtureBuilder("portal-ops")
            .WithAdminPassword(AdminPassword)
            .WithRelayRealm(Realm)
            .AllowLoopbackPeers()
            .With("Usage:Node", "node-a")
            .StartAsync();

        var actor = AdminActor.System;
        var realms = _app.Services.GetRequiredService<RealmAdministration>();
        var users = _app.Services.GetRequiredService<UserAdministration>();
        var secrets = _app.Services.GetRequiredService<SecretAdministration>();
        await realms.AddAsync(actor, Realm, "operator page tests", CancellationToken.None);
        await secrets.GenerateAsync(actor, Realm, CancellationToken.None);
        foreach (var user in new[] { "alice", "bob", "carol" })
            await users.AddAsync(actor, Realm, user, UserPassword, CancellationToken.None);
        await realms.AddAsync(actor, OtherRealm, "another realm", CancellationToken.None);
        await secrets.GenerateAsync(actor, OtherRealm, CancellationToken.None);
        await _app.Services.GetRequiredService<AdminAccountAdministration>().AddAsync(OtherRealmAdmin, AdminPassword, OtherRealm, actor, CancellationToken.None);
        await users.AddAsync(actor, OtherRealm, "olga", UserPassword, CancellationToken.None);

        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(_playwright);
    }

    /// <summary>Chromium as the WebRTC interop tests run it (local addresses not hidden behind mDNS names).</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = WebRtcRelayPage.ChromiumPath,
            Headless = true,
            Args = [.. WebRtcRelayPage.ChromiumArguments],
        });

    /// <summary>A new browser context of the given size, signed in, on an interactive page at <paramref name="path"/>.</summary>
    public Task<IPage> SignedInPageAsync(string path, string admin = "admin", int width = 1366, int height = 900) =>
        SignInAsync(Browser, _app.BaseAddress, path, admin, AdminPassword, width, height);

    public static async Task<IPage> SignInAsync(IBrowser browser, Uri baseAddress, string path, string admin, string password, int width, int height)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(20_000);
        Assertions.SetDefaultExpectTimeout(20_000);
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
        if (_app is not null) await _app.DisposeAsync();
    }
}
