using Admin.Data.Administration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Admin.E2E.Tests.Portal.PortalPages;

namespace Admin.E2E.Tests.Portal;

/// <summary>
/// An install with one realm (not the default): the Secrets page, its credential generator and the Sessions page pick it
/// without asking, and the generated username carries the realm ("expiry:label@realm"), with the relay's real bound port.
/// </summary>
public sealed class SingleRealmPortalTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Realm = "only.realm.test";

    [Fact]
    public async Task Generator_PicksTheOnlyRealm_AndNamesItInTheUsername()
    {
        var setup = await EnsureRealmAsync();
        await portal.Services.GetRequiredService<SecretAdministration>().GenerateAsync(setup, Realm, CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);

        await OpenAsync(page, "secrets");

        await page.WaitForURLAsync(url => url.EndsWith($"/secrets/{Realm}", StringComparison.Ordinal));
        await WaitInteractiveAsync(page);
        await Input(page, "ephemeral-label").FillAsync("visitor");
        await page.GetByTestId("ephemeral-generate").ClickAsync();
        await Assertions.Expect(page.GetByTestId("ephemeral-username")).ToContainTextAsync($":visitor@{Realm}");
        var json = await Input(page, "ephemeral-json").InputValueAsync();
        Assert.Matches(@"turn:127\.0\.0\.1:[1-9][0-9]*\?transport=udp", json);
        Assert.DoesNotContain("turns:", json, StringComparison.Ordinal);

        // The Sessions page's realm filter starts on the only realm.
        await OpenAsync(page, "sessions");
        await Assertions.Expect(Input(page, "filter-realm")).ToHaveValueAsync(Realm);
    }

    [Fact]
    public async Task UsersPage_PicksTheOnlyRealm()
    {
        await EnsureRealmAsync();
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);

        await OpenAsync(page, "users");

        await page.WaitForURLAsync(url => url.EndsWith($"/users/{Realm}", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("user-add")).ToBeVisibleAsync();
    }

    /// <summary>Both tests share the fixture's database; whichever runs first adds the one realm.</summary>
    private async Task<AdminActor> EnsureRealmAsync()
    {
        var setup = AdminActor.Superuser("e2e-setup", "127.0.0.1");
        try
        {
            await portal.Services.GetRequiredService<RealmAdministration>().AddAsync(setup, Realm, null, CancellationToken.None);
        }
        catch (AdminOperationException e) when (e.Code == AdminErrorCode.Duplicate)
        {
        }
        return setup;
    }
}
