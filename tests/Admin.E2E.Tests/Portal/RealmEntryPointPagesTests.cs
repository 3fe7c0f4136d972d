using Admin.Data.Administration;
using Microsoft.Playwright;
using static Admin.E2E.Tests.Portal.PortalPages;

namespace Admin.E2E.Tests.Portal;

/// <summary>
/// How clients reach a realm, in the portal: a host name added in its dialog (errors only after input), the realm's
/// ways in listed, the default realm shown, and the warning for stored users with no way in.
/// </summary>
[Collection(ManagementCollection.Name)]
public sealed class RealmEntryPointPagesTests(ManagementFixture portal)
{
    private static readonly AdminActor Setup = ManagementFixture.Setup;

    [Fact]
    public async Task HostName_AddedInTheDialog_ListedWithItsCertificateState_AndAsAWayIn()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "hosts.test", null, CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);
        await OpenAsync(page, "realms/hosts.test");

        await page.GetByTestId("realm-hostname-add").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        // Nothing is flagged before the admin has typed anything.
        await Assertions.Expect(dialog.GetByTestId("realm-hostname")).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator(".mud-input-error")).ToHaveCountAsync(0);
        await Input(page, "realm-hostname").FillAsync("*.hosts.test");
        await Input(page, "realm-hostname").BlurAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("Wildcard host names are not allowed");
        await Input(page, "realm-hostname").FillAsync("Turn.Hosts.Test");
        await page.GetByTestId("realm-hostname-save").ClickAsync();

        await Assertions.Expect(page.GetByTestId("realm-hostname-name")).ToHaveTextAsync("turn.hosts.test");
        // This fixture runs without TLS: no certificate is presented for the name, so no turns: URL is vended for it.
        await Assertions.Expect(page.GetByTestId("realm-hostname-certificate")).ToContainTextAsync("no certificate");
        await Assertions.Expect(page.GetByTestId("realm-reach")).ToContainTextAsync("host name turn.hosts.test");
        Assert.Equal(["turn.hosts.test"], await portal.Get<RealmEntryPoints>().ListHostNamesAsync(Setup, "hosts.test", CancellationToken.None));
    }

    [Fact]
    public async Task RealmsPage_ShowsTheDefaultRealm_AndWarnsAboutUsersWithNoWayIn()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "stranded.test", null, CancellationToken.None);
        await portal.Get<UserAdministration>().AddAsync(Setup, "stranded.test", "u1", "u1-Passw0rd", CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);

        await OpenAsync(page, "realms");

        await Assertions.Expect(page.GetByTestId("default-realm")).ToContainTextAsync(ManagementFixture.RelayRealm);
        await Assertions.Expect(page.GetByTestId("realm-warning-stranded.test")).ToBeVisibleAsync();
        await OpenAsync(page, "realms/stranded.test");
        await Assertions.Expect(page.GetByTestId("realm-reach-warning")).ToContainTextAsync("1 stored user(s) but no way in");

        // An origin is a way in: the warning goes.
        await Input(page, "realm-origin").FillAsync("https://app.stranded.test");
        await page.GetByTestId("realm-origin-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("realm-reach")).ToContainTextAsync("origin https://app.stranded.test:443");
        await Assertions.Expect(page.GetByTestId("realm-reach-warning")).ToHaveCountAsync(0);
    }
}
