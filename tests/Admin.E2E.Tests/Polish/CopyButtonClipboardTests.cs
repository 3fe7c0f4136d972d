using System.Security.Cryptography;
using System.Text;
using Admin.Data.Administration;
using Admin.E2E.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Admin.E2E.Tests.Portal.PortalPages;

namespace Admin.E2E.Tests.Polish;

/// <summary>
/// The copy buttons that hand over what is shown once or is long to type: the user key dialog's, the generated
/// password's and the ephemeral credential's iceServers JSON, each read back from Chromium's real clipboard.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CopyButtonClipboardTests(ApiFixture api) : IAsyncLifetime
{
    private PolishBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await PolishBrowser.StartAsync(api);

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    private async Task<IPage> SignedInSuperuserAsync()
    {
        var name = "pc-" + Guid.NewGuid().ToString("N")[..8];
        await api.Services.GetRequiredService<AdminAccountAdministration>().AddAsync(name, ApiFixture.AdminPassword, null, AdminActor.System, CancellationToken.None);
        return await _browser.SignedInAsync(name, ApiFixture.AdminPassword);
    }

    /// <summary>Clicks the copy button, waits for its "copied" notice and returns what the clipboard then holds.</summary>
    private static async Task<string> CopyAsync(IPage page, string testId, string what)
    {
        var copy = page.GetByTestId(testId);
        await Assertions.Expect(copy).ToHaveAttributeAsync("aria-label", "Copy " + what);
        await copy.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = $"Copied the {what}" }).First).ToBeVisibleAsync();
        return await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
    }

    [Fact]
    public async Task UserKeyDialog_CopyButton_PutsTheLongTermKeyOnTheClipboard()
    {
        var realm = ApiFixture.NewRealm("pkey");
        await api.EnsureRealmAsync(realm);
        await api.Services.GetRequiredService<UserAdministration>().AddAsync(AdminActor.System, realm, "kim", "kim-Passw0rd", CancellationToken.None);
        var expected = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"kim:{realm}:kim-Passw0rd")));

        var page = await SignedInSuperuserAsync();
        await page.GotoAsync("users/" + Uri.EscapeDataString(realm));
        await WaitInteractiveAsync(page);
        await page.GetByTestId("user-row-kim").GetByTestId("user-key").ClickAsync();
        await Assertions.Expect(Input(page, "user-key-value")).ToHaveValueAsync(expected);

        Assert.Equal(expected, await CopyAsync(page, "user-key-copy", "key"));
    }

    [Fact]
    public async Task AddUserDialog_GeneratedPasswordCopyButton_PutsThatPasswordOnTheClipboard()
    {
        var realm = ApiFixture.NewRealm("ppass");
        await api.EnsureRealmAsync(realm);
        var page = await SignedInSuperuserAsync();
        await page.GotoAsync("users/" + Uri.EscapeDataString(realm));
        await WaitInteractiveAsync(page);
        await page.GetByTestId("user-add").ClickAsync();
        await page.GetByTestId("user-password-generate").ClickAsync();
        // The click reaches the server over the circuit and the new value comes back after it: wait for it to arrive.
        await Assertions.Expect(Input(page, "user-password")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(".{12,}"));
        var generated = await Input(page, "user-password").InputValueAsync();
        Assert.True(generated.Length >= 12, $"generated password '{generated}' is short");

        Assert.Equal(generated, await CopyAsync(page, "user-password-copy", "password"));
    }

    [Fact]
    public async Task EphemeralCredential_IceServersJsonCopyButton_PutsTheJsonOnTheClipboard()
    {
        var realm = ApiFixture.NewRealm("pice");
        await api.EnsureRealmAsync(realm);
        var page = await SignedInSuperuserAsync();
        await page.GotoAsync("secrets/" + Uri.EscapeDataString(realm));
        await WaitInteractiveAsync(page);
        await page.GetByTestId("secret-generate").ClickAsync();
        await Input(page, "ephemeral-label").FillAsync("copy-test");
        await page.GetByTestId("ephemeral-generate").ClickAsync();
        var json = await Input(page, "ephemeral-json").InputValueAsync();
        var password = (await page.GetByTestId("ephemeral-password").TextContentAsync())!;
        Assert.StartsWith("[", json, StringComparison.Ordinal);
        Assert.Contains("\"urls\"", json, StringComparison.Ordinal);
        Assert.Contains(password, json, StringComparison.Ordinal);

        Assert.Equal(json, await CopyAsync(page, "ephemeral-json-copy", "iceServers JSON"));
    }
}
