using Microsoft.Playwright;

namespace Admin.E2E.Tests.Operations;

/// <summary>Full-page screenshots under the test output (bin/.../screenshots), for a person to look at.</summary>
public static class Screenshots
{
    public static string Directory { get; } = System.IO.Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public static async Task<string> TakeAsync(IPage page, string name)
    {
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>The page at 1366×900 and at 390×844 (a phone), one file each.</summary>
    public static async Task BothSizesAsync(IPage page, string name)
    {
        await page.SetViewportSizeAsync(1366, 900);
        await TakeAsync(page, name + "-1366");
        await page.SetViewportSizeAsync(390, 844);
        await page.WaitForTimeoutAsync(300);
        await TakeAsync(page, name + "-390");
        await page.SetViewportSizeAsync(1366, 900);
    }
}
