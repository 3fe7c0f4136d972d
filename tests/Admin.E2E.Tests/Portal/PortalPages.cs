using Microsoft.Playwright;

namespace Admin.E2E.Tests.Portal;

/// <summary>Browser steps the portal tests share.</summary>
public static class PortalPages
{
    public static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GotoAsync("login");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.GetByTestId("login-submit").ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Sign-in as {user} stayed at {page.Url}: {await page.InnerTextAsync("body")}", e);
        }
    }

    /// <summary>Opens a page and waits for the Blazor circuit: clicks before it is interactive are lost.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
    }

    public static Task WaitInteractiveAsync(IPage page) =>
        page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>The input inside a MudBlazor field marked with data-testid.</summary>
    public static ILocator Input(IPage page, string testId) => page.Locator($"[data-testid='{testId}'] input, input[data-testid='{testId}'], textarea[data-testid='{testId}']").First;
}
