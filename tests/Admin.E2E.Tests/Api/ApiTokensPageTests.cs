using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Admin.E2E.Tests.Api;

/// <summary>The portal's API tokens page in headless Chromium: create (shown once), use, revoke (401 at once).</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiTokensPageTests(ApiFixture api) : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    [Fact]
    public async Task TokenPage_CreateShowsTokenOnce_TokenWorks_RevokeEndsItAtOnce()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = api.BaseAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        // Expect() waits 5 s by default: too short for a Blazor round trip on a busy 2-core machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("login");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", ApiFixture.AdminPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await page.Locator(".mud-nav-link", new() { HasText = "API tokens" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("page-title")).ToHaveTextAsync("API tokens");

        // An empty label is refused inline, and nothing is created.
        await page.GetByTestId("token-create").ClickAsync();
        await Assertions.Expect(page.GetByText("Give the token a label")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("token-created")).ToHaveCountAsync(0);

        var label = "ci-" + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("input[data-testid=token-label], [data-testid=token-label] input").First.FillAsync(label);
        await page.GetByTestId("token-create").ClickAsync();
        var token = (await page.GetByTestId("token-value").InnerTextAsync()).Trim();
        Assert.Matches(new Regex("^tst_[A-Za-z0-9_-]{43}$"), token);
        var row = page.Locator("tr", new() { HasText = label });
        await Assertions.Expect(row).ToContainTextAsync(token[..12] + "…");
        await Assertions.Expect(row.GetByTestId("token-status")).ToHaveTextAsync("active");

        using var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/whoami")).StatusCode);

        // Shown once: after a reload only the prefix is on the page.
        await page.ReloadAsync();
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("tr", new() { HasText = label })).ToBeVisibleAsync();
        Assert.DoesNotContain(token, await page.ContentAsync());

        await page.GetByTestId($"token-revoke-{token[..12]}").ClickAsync();
        await Assertions.Expect(page.Locator("tr", new() { HasText = label }).GetByTestId("token-status")).ToContainTextAsync("revoked");
        await Problem.AssertAsync(await client.GetAsync("api/v1/whoami"), HttpStatusCode.Unauthorized, "Unauthorized");
        await context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
