using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Turnstone.TestSupport;

namespace Admin.E2E.Tests;

/// <summary>
/// One running portal (fresh database, bootstrap admin from TURNSTONE_ADMIN_PASSWORD) and one
/// headless Chromium for a test class. Each test opens its own browser context (own cookies).
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public const string AdminPassword = "e2e-Admin-Passw0rd";

    private TestDatabase _database = null!;
    private PortalFactory _factory = null!;
    private IPlaywright _playwright = null!;
    private string _dataDirectory = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _dataDirectory = Directory.CreateTempSubdirectory("turnstone-e2e-").FullName;
        _factory = PortalFactory.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Admin"] = _database.ConnectionString,
            // The bootstrap reads it through configuration, where the environment variable lands too.
            ["TURNSTONE_ADMIN_PASSWORD"] = AdminPassword,
            ["Turnstone:DataDirectory"] = _dataDirectory,
            // The relay starts with the app: loopback only, OS-chosen listener port, no TLS, relay ports from our range.
            ["Relay:ListenAddresses:0"] = "127.0.0.1",
            ["Relay:Port"] = "0",
            ["Relay:TlsPort"] = "0",
            ["Relay:MinPort"] = "45100",
            ["Relay:MaxPort"] = "45199",
        });
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single());

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.StopAndDisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        if (_dataDirectory is not null) Directory.Delete(_dataDirectory, recursive: true);
    }
}
