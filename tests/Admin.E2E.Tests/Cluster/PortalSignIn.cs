using Microsoft.Playwright;

namespace Admin.E2E.Tests.Cluster;

/// <summary>Signs in to a node's portal in a new browser context, as the bootstrap admin, and opens an interactive page.</summary>
internal static class PortalSignIn
{
    public static async Task<IPage> PageAsync(IBrowser browser, ClusterNode node, string path)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = node.BaseAddress.ToString() });
        context.SetDefaultTimeout(30_000);
        // Expect() waits 5 s by default: too short for a Blazor round trip on a busy 2-core machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("login");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", ClusterHarness.AdminPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync(path);
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return page;
    }
}
