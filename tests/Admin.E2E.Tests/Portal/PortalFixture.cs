using Admin.E2E.Tests.Hosting;
using Microsoft.Playwright;

namespace Admin.E2E.Tests.Portal;

/// <summary>
/// One running portal (fresh database, bootstrap admin from TURNSTONE_ADMIN_PASSWORD) and one
/// headless Chromium for a test class. Each test opens its own browser context (own cookies).
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    public const string AdminPassword = AppFixtureBuilder.DefaultAdminPassword;

    private TestApp _app = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => _app.BaseAddress;

    /// <summary>The running app's services (relay state, administration services for test setup).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The running app (relay ports and the like).</summary>
    protected TestApp App => _app;

    /// <summary>Lets a derived fixture change the app's settings before it starts.</summary>
    protected virtual void Configure(AppFixtureBuilder builder)
    {
    }

    public async Task InitializeAsync()
    {
        var builder = new AppFixtureBuilder("e2e").WithAdminPassword(AdminPassword);
        Configure(builder);
        _app = await builder.StartAsync();

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
        if (_app is not null) await _app.DisposeAsync();
    }
}
