using Microsoft.Playwright;

namespace Admin.E2E.Tests;

/// <summary>Debian's /usr/bin/chromium, headless, with the switches this closed network needs (never `playwright install`).</summary>
public static class HeadlessChromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
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
