using Microsoft.Playwright;

namespace Admin.E2E.Tests.Polish;

/// <summary>Full-page screenshots at a desktop (1366×900) and a phone (390×844) size, under bin/.../screenshots/, to look at.</summary>
public static class Screenshots
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task TakeAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var (width, height) in new[] { (1366, 900), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.WaitForTimeoutAsync(300); // layout settles (drawer, tables) after the resize
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory, $"{name}-{width}x{height}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1366, 900);
    }
}
