using Admin.Data.Administration;
using Microsoft.Playwright;
using static Admin.E2E.Tests.Portal.PortalPages;

namespace Admin.E2E.Tests.Portal;

/// <summary>The Admins page: a superuser adds a realm admin, resets their password and removes them; admins change their own password.</summary>
[Collection(ManagementCollection.Name)]
public sealed class AdminsPageTests(ManagementFixture portal)
{
    [Fact]
    public async Task Superuser_AddsResetsAndRemovesARealmAdmin_WhoChangesTheirOwnPassword()
    {
        await portal.Get<RealmAdministration>().AddAsync(ManagementFixture.Setup, "admins.test", null, CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);
        await OpenAsync(page, "admins");

        // Add: a too-short password is refused inline, then the admin is added for one realm.
        await page.GetByTestId("admin-add").ClickAsync();
        await Input(page, "admin-name").FillAsync("scoped");
        await Input(page, "admin-password").FillAsync("short");
        await page.GetByTestId("admin-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("At least 8 characters.");
        await Input(page, "admin-password").FillAsync("scoped-Passw0rd");
        await page.GetByTestId("admin-realm").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Realm admins.test" }).ClickAsync();
        await page.GetByTestId("admin-save").ClickAsync();
        var row = page.GetByTestId("admins-table").Locator("tr", new() { HasText = "scoped" });
        await Assertions.Expect(row).ToContainTextAsync("realm admins.test");

        // Reset their password.
        await row.GetByTestId("admin-reset").ClickAsync();
        await Input(page, "admin-password").FillAsync("reset-Passw0rd");
        await page.GetByTestId("admin-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

        // They sign in with the new password, see only themselves, cannot add admins, and change their own password.
        var scoped = await portal.NewPageAsync();
        await SignInAsync(scoped, "scoped", "reset-Passw0rd");
        await OpenAsync(scoped, "admins");
        await Assertions.Expect(scoped.GetByTestId("admins-table").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(scoped.GetByTestId("admin-add")).ToHaveCountAsync(0);
        // Their own password: refused without the current one (and with a wrong one), accepted with it.
        await scoped.GetByTestId("admin-own-password").ClickAsync();
        await Input(scoped, "admin-password").FillAsync("own-Passw0rd!");
        await Input(scoped, "admin-current-password").FillAsync("not-the-current-one");
        await scoped.GetByTestId("admin-save").ClickAsync();
        await Assertions.Expect(scoped.Locator(".mud-dialog")).ToContainTextAsync("current password");
        await Input(scoped, "admin-current-password").FillAsync("reset-Passw0rd");
        await scoped.GetByTestId("admin-save").ClickAsync();
        await Assertions.Expect(scoped.Locator(".mud-dialog")).ToHaveCountAsync(0);
        var again = await portal.NewPageAsync();
        await SignInAsync(again, "scoped", "own-Passw0rd!");
        await OpenAsync(again, "admins");
        await Assertions.Expect(again.GetByTestId("signed-in-user")).ToHaveTextAsync("scoped");

        // Remove them.
        await OpenAsync(page, "admins");
        await page.GetByTestId("admins-table").Locator("tr", new() { HasText = "scoped" }).GetByTestId("admin-delete").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("admins-table").Locator("tr", new() { HasText = "scoped" })).ToHaveCountAsync(0);
    }
}
