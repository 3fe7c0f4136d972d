using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Admin.E2E.Tests.Portal;

/// <summary>Sign-in, refusal, redirect to login and sign-out in a real browser against the real app.</summary>
public sealed class LoginTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Login_BootstrapAdmin_ShowsTheDashboardShell()
    {
        var page = await portal.NewPageAsync();

        await SignInAsync(page, "admin", PortalFixture.AdminPassword);

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"));
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Dashboard");
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("admin");
        await Assertions.Expect(page.GetByTestId("count-admins")).ToHaveTextAsync("1");
        foreach (var item in new[] { "Dashboard", "Realms", "Users", "Sessions", "Secrets", "Admins", "Audit" })
            await Assertions.Expect(page.Locator(".mud-nav-link", new() { HasText = item })).ToBeVisibleAsync();
        // MudBlazor's stylesheet and script came through (static web assets outside Development).
        Assert.Equal("true", await page.EvaluateAsync<string>("() => String(getComputedStyle(document.querySelector('.mud-appbar')).position === 'fixed')"));

        // Interactive navigation works on the circuit.
        await page.Locator(".mud-nav-link", new() { HasText = "Admins" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Admins");
        await Assertions.Expect(page.Locator("td", new() { HasText = "all realms (superuser)" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsGenericErrorAndStaysOnLogin()
    {
        var page = await portal.NewPageAsync();

        await SignInAsync(page, "admin", "not-the-password");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login\\?error=1"));
        await Assertions.Expect(page.GetByTestId("login-error")).ToHaveTextAsync("Invalid user name or password.");

        // An unknown name gets exactly the same answer.
        await SignInAsync(page, "no-such-admin", "whatever-password");
        await Assertions.Expect(page.GetByTestId("login-error")).ToHaveTextAsync("Invalid user name or password.");
        await Assertions.Expect(page.GetByTestId("login-form")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ProtectedPage_SignedOut_RedirectsToLoginAndBackAfterSignIn()
    {
        var page = await portal.NewPageAsync();

        await page.GotoAsync("realms");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Frealms$"));
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", PortalFixture.AdminPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/realms$"));
        await Assertions.Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Realms");
    }

    [Fact]
    public async Task Logout_SignsOutAndProtectsPagesAgain()
    {
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await page.GetByTestId("logout").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GotoAsync("");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2F$"));
    }

    [Fact]
    public async Task Healthz_NeedsNoSignIn()
    {
        var page = await portal.NewPageAsync();

        var response = await page.APIRequest.GetAsync("healthz");

        Assert.Equal(200, response.Status);
        Assert.Equal("Healthy", await response.TextAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("realms")]
    [InlineData("users")]
    [InlineData("sessions")]
    [InlineData("secrets")]
    [InlineData("peer-rules")]
    [InlineData("users/example.org")]
    [InlineData("realms/example.org/users.csv")]
    [InlineData("admins")]
    [InlineData("audit")]
    [InlineData("no-such-page")]
    public async Task Page_SignedOut_IsRedirectedToLogin(string path)
    {
        var page = await portal.NewPageAsync();

        var response = await page.APIRequest.GetAsync(path, new() { MaxRedirects = 0 });

        Assert.Equal(302, response.Status);
        Assert.StartsWith($"{portal.BaseAddress}login?ReturnUrl=", response.Headers["location"]);
    }

    [Theory]
    [InlineData("login")]
    [InlineData("healthz")]
    [InlineData("_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("_framework/blazor.web.js")]
    [InlineData("app.css")]
    public async Task PublicResource_SignedOut_IsServed(string path)
    {
        var page = await portal.NewPageAsync();

        var response = await page.APIRequest.GetAsync(path, new() { MaxRedirects = 0 });

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task Logout_CrossSitePostWithoutToken_IsRefused()
    {
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);

        var response = await page.APIRequest.PostAsync("auth/logout", new() { Form = page.APIRequest.CreateFormData(), MaxRedirects = 0 });

        Assert.Equal(400, response.Status);
        await page.GotoAsync("admins");
        await Assertions.Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Admins");
    }

    [Fact]
    public async Task Footer_SignedIn_ShowsTheBuildVersionAndCommit()
    {
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);

        var commit = Turn.Relay.Seams.BuildInfo.Commit;
        var expected = $"Turnstone {Turn.Relay.Seams.BuildInfo.Version}" + (commit.Length > 0 ? $" ({commit[..Math.Min(12, commit.Length)]})" : "");
        await Assertions.Expect(page.GetByTestId("build-version")).ToHaveTextAsync(expected);
        // The same version the project file sets (one version, Directory.Build.props).
        Assert.Matches(@"^\d+\.\d+\.\d+", Turn.Relay.Seams.BuildInfo.Version);
    }

    private static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GotoAsync("login");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }
}
