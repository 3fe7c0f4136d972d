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

    /// <summary>
    /// Chooses a file in a Blazor InputFile. The component adds its change listener from
    /// OnAfterRenderAsync, a round trip after the input appears, so files set before that are lost
    /// (seen once in CI). Wait for the marker its init script sets on the element first.
    /// </summary>
    public static async Task SetInputFileAsync(IPage page, string testId, FilePayload file)
    {
        var input = page.Locator($"input[type='file'][data-testid='{testId}']");
        await input.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.WaitForFunctionAsync(
            "id => document.querySelector(`input[type='file'][data-testid='${id}']`)?._blazorInputFileNextFileId !== undefined",
            testId);
        await input.SetInputFilesAsync(file);
    }

    /// <summary>The input inside a MudBlazor field marked with data-testid.</summary>
    public static ILocator Input(IPage page, string testId) => page.Locator($"[data-testid='{testId}'] input, input[data-testid='{testId}'], textarea[data-testid='{testId}']").First;
}
