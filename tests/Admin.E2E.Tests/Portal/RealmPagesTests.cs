using Admin.Data.Administration;
using Microsoft.Playwright;
using static Admin.E2E.Tests.Portal.PortalPages;

namespace Admin.E2E.Tests.Portal;

/// <summary>The realm pages: delete with the impact spelled out, limits, origins, and a description edited in two browsers.</summary>
[Collection(ManagementCollection.Name)]
public sealed class RealmPagesTests(ManagementFixture portal)
{
    private static readonly AdminActor Setup = ManagementFixture.Setup;

    [Fact]
    public async Task Delete_ConfirmationCountsWhatGoes_ThenTheRealmAndItsUsersAreGone()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "doomed.test", null, CancellationToken.None);
        await portal.Get<UserAdministration>().AddAsync(Setup, "doomed.test", "u1", "u1-Passw0rd", CancellationToken.None);
        await portal.Get<UserAdministration>().AddAsync(Setup, "doomed.test", "u2", "u2-Passw0rd", CancellationToken.None);
        await portal.Get<SecretAdministration>().GenerateAsync(Setup, "doomed.test", CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);
        await OpenAsync(page, "realms");

        await page.GetByTestId("realm-delete-doomed.test").ClickAsync();

        var message = page.GetByTestId("confirm-message");
        await Assertions.Expect(message).ToContainTextAsync("removes 2 users, 1 secrets");
        await Assertions.Expect(message).ToContainTextAsync("affects 0 live sessions");
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("realm-link").GetByText("doomed.test", new() { Exact = true })).ToHaveCountAsync(0);
        Assert.DoesNotContain(await portal.Get<RealmAdministration>().ListAsync(Setup, CancellationToken.None), r => r.Name == "doomed.test");
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => portal.Get<UserAdministration>().GetAsync(Setup, "doomed.test", "u1", CancellationToken.None));
        Assert.Equal(AdminErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task RealmPage_LimitsAndOrigins_AreSaved_BadOriginRefusedInline()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "limits.test", null, CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);
        await OpenAsync(page, "realms/limits.test");
        // The server's own limits are shown beside the realm's (this fixture's relay runs without a user quota).
        await Assertions.Expect(page.GetByTestId("realm-server-limits")).ToContainTextAsync("user quota unlimited");

        await Input(page, "realm-user-quota").FillAsync("3");
        await Input(page, "realm-max-bps").FillAsync("2000000");
        await page.GetByTestId("realm-limits-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Limits saved.");
        Assert.Equal(new RealmLimits(3, null, 2_000_000), await portal.Get<RealmAdministration>().GetLimitsAsync(Setup, "limits.test", CancellationToken.None));

        await Input(page, "realm-origin").FillAsync("not an origin");
        await page.GetByTestId("realm-origin-add").ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("must look like scheme://host[:port]");
        await Input(page, "realm-origin").FillAsync("https://app.limits.test");
        await page.GetByTestId("realm-origin-add").ClickAsync();
        // Stored (and listed) as coturn stores origins: the default port written out.
        await Assertions.Expect(page.Locator(".mud-list")).ToContainTextAsync("https://app.limits.test:443");
        Assert.Equal(["https://app.limits.test:443"], await portal.Get<RealmAdministration>().ListOriginsAsync(Setup, "limits.test", CancellationToken.None));
    }

    [Fact]
    public async Task Description_EditedInTwoBrowsers_TheLaterSaveIsToldAndNothingIsLost()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "edited.test", "original", CancellationToken.None);
        var first = await portal.NewPageAsync();
        var second = await portal.NewPageAsync();
        await SignInAsync(first, "admin", PortalFixture.AdminPassword);
        await SignInAsync(second, "admin", PortalFixture.AdminPassword);
        await OpenAsync(first, "realms/edited.test");
        await OpenAsync(second, "realms/edited.test");

        await Input(first, "realm-description").FillAsync("first edit");
        await first.GetByTestId("realm-description-save").ClickAsync();
        await Assertions.Expect(first.Locator(".mud-snackbar")).ToContainTextAsync("Description saved.");
        await Input(second, "realm-description").FillAsync("second edit");
        await second.GetByTestId("realm-description-save").ClickAsync();

        await Assertions.Expect(second.GetByTestId("realm-error")).ToContainTextAsync("Someone else changed");
        Assert.Equal("first edit", (await portal.Get<RealmAdministration>().GetAsync(Setup, "edited.test", CancellationToken.None)).Description);
    }
}
