using System.Net;
using Admin.Data.Administration;
using Admin.E2E.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Admin.E2E.Tests.Polish;

/// <summary>
/// Copy buttons (read back from the real clipboard), dark mode from prefers-color-scheme and the per-admin theme
/// remembered across sign-ins, vend-only tokens chosen and shown on the API tokens page, and the API explorer
/// (signed-in only, no CSP violation), in Chromium.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CopyThemeExplorerTests(ApiFixture api) : IAsyncLifetime
{
    private PolishBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await PolishBrowser.StartAsync(api);

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    private async Task<string> NewSuperuserAsync()
    {
        var name = "po-" + Guid.NewGuid().ToString("N")[..8];
        await api.Services.GetRequiredService<AdminAccountAdministration>().AddAsync(name, ApiFixture.AdminPassword, null, AdminActor.System, CancellationToken.None);
        return name;
    }

    [Fact]
    public async Task ApiTokensPage_VendOnlyTokenChosenAndShown_CopyButtonPutsTheTokenOnTheClipboard()
    {
        var realm = "pvend-" + Guid.NewGuid().ToString("N")[..8] + ".test";
        await api.EnsureRealmAsync(realm);
        var admin = await NewSuperuserAsync();
        var page = await _browser.SignedInAsync(admin, ApiFixture.AdminPassword);
        await page.GotoAsync("api-tokens");
        await Portal.PortalPages.WaitInteractiveAsync(page);

        await Portal.PortalPages.Input(page, "token-label").FillAsync("app server");
        await UsagePageTests.Choose(page, "token-scope", "Vend-only");
        await UsagePageTests.Choose(page, "token-realm", realm);
        await page.GetByTestId("token-create").ClickAsync();
        var token = (await page.GetByTestId("token-value").InnerTextAsync()).Trim();
        var row = page.Locator("tr", new() { HasText = "app server" });
        await Assertions.Expect(row.GetByTestId("token-scope-shown")).ToContainTextAsync("vend-only: " + realm);

        var copy = page.GetByTestId("token-copy");
        await Assertions.Expect(copy).ToHaveAttributeAsync("aria-label", "Copy token");
        await copy.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Copied the token" })).ToBeVisibleAsync();
        Assert.Equal(token, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Screenshots.TakeAsync(page, "api-tokens");

        // The token the page made is vend-only on the server.
        using var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("api/v1/whoami")).StatusCode);
    }

    [Fact]
    public async Task SecretsPage_GeneratedSecretCopyButton_PutsTheSecretOnTheClipboard()
    {
        var realm = "pcopy-" + Guid.NewGuid().ToString("N")[..8] + ".test";
        await api.EnsureRealmAsync(realm);
        var page = await _browser.SignedInAsync(await NewSuperuserAsync(), ApiFixture.AdminPassword);
        await page.GotoAsync("secrets/" + Uri.EscapeDataString(realm));
        await Portal.PortalPages.WaitInteractiveAsync(page);
        await page.GetByTestId("secret-generate").ClickAsync();
        var secret = (await page.GetByTestId("secret-generated-value").InnerTextAsync()).Trim();
        var copy = page.GetByTestId("secret-generated-copy");
        await Assertions.Expect(copy).ToHaveAttributeAsync("aria-label", "Copy secret");
        await copy.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Copied the secret" })).ToBeVisibleAsync();
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Screenshots.TakeAsync(page, "secrets");
    }

    [Fact]
    public async Task Theme_FollowsSystemColorScheme_AndTheChosenThemeIsRememberedAcrossSignIns()
    {
        var admin = await NewSuperuserAsync();
        var dark = await _browser.SignedInAsync(admin, ApiFixture.AdminPassword, ColorScheme.Dark);
        await Assertions.Expect(dark.Locator(".mud-layout")).ToHaveAttributeAsync("data-theme", "dark");
        await Screenshots.TakeAsync(dark, "dashboard-dark");
        await dark.Context.CloseAsync();

        var light = await _browser.SignedInAsync(admin, ApiFixture.AdminPassword, ColorScheme.Light);
        await Assertions.Expect(light.Locator(".mud-layout")).ToHaveAttributeAsync("data-theme", "light");
        await Assertions.Expect(light.GetByTestId("theme-button")).ToHaveAttributeAsync("aria-label", "Theme: follow system");
        await light.GetByTestId("theme-button").ClickAsync();
        await light.GetByTestId("theme-light").ClickAsync();
        // The button names (and shows) the choice at once, not only the page's colours.
        await Assertions.Expect(light.GetByTestId("theme-button")).ToHaveAttributeAsync("aria-label", "Theme: light");
        await light.GetByTestId("theme-button").ClickAsync();
        await light.GetByTestId("theme-dark").ClickAsync();
        await Assertions.Expect(light.Locator(".mud-layout")).ToHaveAttributeAsync("data-theme", "dark");
        await Assertions.Expect(light.GetByTestId("theme-button")).ToHaveAttributeAsync("aria-label", "Theme: dark");
        await light.Context.CloseAsync();
        Assert.Equal(AdminPreferences.Dark, await api.Services.GetRequiredService<AdminPreferences>().GetThemeAsync(admin, CancellationToken.None));

        // A new sign-in on a light system keeps the admin's choice; choosing "follow system" goes back to light.
        var again = await _browser.SignedInAsync(admin, ApiFixture.AdminPassword, ColorScheme.Light);
        await Assertions.Expect(again.Locator(".mud-layout")).ToHaveAttributeAsync("data-theme", "dark");
        await Assertions.Expect(again.GetByTestId("theme-button")).ToHaveAttributeAsync("aria-label", "Theme: dark");
        await again.GotoAsync("usage");
        await Portal.PortalPages.WaitInteractiveAsync(again);
        await Assertions.Expect(again.Locator(".mud-layout")).ToHaveAttributeAsync("data-theme", "dark");
        await Screenshots.TakeAsync(again, "usage-dark");
        await again.GetByTestId("theme-button").ClickAsync();
        await again.GetByTestId("theme-system").ClickAsync();
        await Assertions.Expect(again.Locator(".mud-layout")).ToHaveAttributeAsync("data-theme", "light");
        await Assertions.Expect(again.GetByTestId("theme-button")).ToHaveAttributeAsync("aria-label", "Theme: follow system");
        await again.Context.CloseAsync();
        Assert.Null(await api.Services.GetRequiredService<AdminPreferences>().GetThemeAsync(admin, CancellationToken.None));
    }

    [Fact]
    public async Task ApiExplorer_SignedInOnly_ServedLocally_WithoutCspViolations()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.BaseAddress };
        var refused = await anonymous.GetAsync("api-explorer/index.html");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/login", refused.Headers.Location?.ToString(), StringComparison.Ordinal);

        var page = await _browser.SignedInAsync(await NewSuperuserAsync(), ApiFixture.AdminPassword);
        var problems = new List<string>();
        var outside = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") problems.Add(message.Text);
        };
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(api.BaseAddress.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)) outside.Add(request.Url);
        };
        var response = await page.GotoAsync("api-explorer/index.html");
        Assert.Equal(200, response!.Status);
        Assert.Contains("script-src 'self'", (await response.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".swagger-ui .title")).ToContainTextAsync("Turnstone admin API");
        await Assertions.Expect(page.Locator(".opblock-summary-path", new() { HasText = "/api/v1/usage" }).First).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "api-explorer");
        Assert.DoesNotContain(problems, p => p.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(outside);
    }
}
