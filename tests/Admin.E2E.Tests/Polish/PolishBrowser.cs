using Admin.E2E.Tests.Api;
using Admin.E2E.Tests.Portal;
using Microsoft.Playwright;

namespace Admin.E2E.Tests.Polish;

/// <summary>Headless Chromium contexts against the API fixture's host, signed in as a given admin.</summary>
public sealed class PolishBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly Uri _baseAddress;

    private PolishBrowser(IPlaywright playwright, IBrowser browser, Uri baseAddress)
    {
        _playwright = playwright;
        _browser = browser;
        _baseAddress = baseAddress;
    }

    public static async Task<PolishBrowser> StartAsync(ApiFixture api)
    {
        var playwright = await Playwright.CreateAsync();
        return new PolishBrowser(playwright, await HeadlessChromium.LaunchAsync(playwright), api.BaseAddress);
    }

    /// <summary>A fresh context (own cookies) with clipboard access and the given system color scheme, signed in.</summary>
    public async Task<IPage> SignedInAsync(string admin, string password, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _baseAddress.ToString(),
            ColorScheme = scheme,
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(15_000);
        Assertions.SetDefaultExpectTimeout(15_000);
        var page = await context.NewPageAsync();
        await PortalPages.SignInAsync(page, admin, password);
        await PortalPages.WaitInteractiveAsync(page);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
