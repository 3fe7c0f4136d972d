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
public class PortalFixture : IAsyncLifetime
{
    public const string AdminPassword = "e2e-Admin-Passw0rd";

    private TestDatabase _database = null!;
    private PortalFactory _factory = null!;
    private IPlaywright _playwright = null!;
    private string _dataDirectory = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The running app's services (relay state, administration services for test setup).</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>Lets a derived fixture change the app's settings before it starts.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _dataDirectory = Directory.CreateTempSubdirectory("turnstone-e2e-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Admin"] = _database.ConnectionString,
            // The bootstrap reads it through configuration, where the environment variable lands too.
            ["TURNSTONE_ADMIN_PASSWORD"] = AdminPassword,
            ["Turnstone:DataDirectory"] = _dataDirectory,
            ["Metrics:Port"] = "0", // no metrics listener: parallel hosts would all bind 9641
            // The relay starts with the app: loopback only, OS-chosen listener port, no TLS, relay ports from our range.
            ["Relay:ListenAddresses:0"] = "127.0.0.1",
            ["Relay:Port"] = "0",
            ["Relay:TlsPort"] = "0",
            ["Relay:MinPort"] = "45100",
            ["Relay:MaxPort"] = "45199",
        };
        Configure(settings);
        _factory = PortalFactory.Start(settings);
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single());

        _playwright = await Playwright.CreateAsync();
        Browser = await HeadlessChromium.LaunchAsync(_playwright);
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        // Expect() waits 5 s by default: too short for a Blazor round trip on a busy 2-core machine.
        Assertions.SetDefaultExpectTimeout(15_000);
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
