using System.Text.RegularExpressions;
using Admin.Data.Administration;
using Admin.Web.Auth;
using Microsoft.Playwright;
using static Admin.E2E.Tests.Portal.PortalPages;

namespace Admin.E2E.Tests.Portal;

/// <summary>CSV import, realm scoping by URL, inline validation, concurrent edits and security headers, in a real browser.</summary>
[Collection(ManagementCollection.Name)]
public sealed class ManagementPagesTests(ManagementFixture portal)
{
    private static readonly AdminActor Setup = ManagementFixture.Setup;

    [Fact]
    public async Task ImportCsv_OneBadRow_ShowsThatRowAndImportsNothing()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "import.test", null, CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);
        await OpenAsync(page, "users/import.test");

        await page.GetByTestId("user-import").ClickAsync();
        await SetInputFileAsync(page, "import-file", new FilePayload
        {
            Name = "users.csv",
            MimeType = "text/csv",
            Buffer = "user,password\nbob,bob-Passw0rd\nbad:name,x-Passw0rd\ncarol,carol-Passw0rd\n"u8.ToArray(),
        });
        await Assertions.Expect(page.GetByTestId("import-preview-count")).ToHaveTextAsync("3 users in the file.");

        // The preview already lists the row Import would refuse, so Import cannot be pressed (was: refused on Import).
        await Assertions.Expect(page.GetByTestId("import-failed")).ToContainTextAsync("Import would refuse this file");
        await Assertions.Expect(page.GetByTestId("import-submit")).ToBeDisabledAsync();
        var rows = page.GetByTestId("import-error-row");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("3");
        await Assertions.Expect(rows.First).ToContainTextAsync("bad:name");
        await Assertions.Expect(rows.First).ToContainTextAsync("must not contain ':'");
        await page.GetByTestId("import-close").ClickAsync();

        var users = await portal.Get<UserAdministration>().ListAsync(Setup, "import.test", null, 0, 10, CancellationToken.None);
        Assert.Equal(0, users.TotalCount);
        await Assertions.Expect(page.GetByTestId("users-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ImportCsv_AllRowsGood_ImportsThemAndExportReturnsThem()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "import-ok.test", null, CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);
        await OpenAsync(page, "users/import-ok.test");

        await page.GetByTestId("user-import").ClickAsync();
        await SetInputFileAsync(page, "import-file", new FilePayload
        {
            Name = "users.csv",
            MimeType = "text/csv",
            Buffer = "user,hmackey\ndave,0123456789abcdef0123456789ABCDEF\neve,fedcba9876543210fedcba9876543210\n"u8.ToArray(),
        });
        await page.GetByTestId("import-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-done")).ToHaveTextAsync("2 users imported.");
        await page.GetByTestId("import-close").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-row-eve")).ToBeVisibleAsync();

        var export = await page.APIRequest.GetAsync("realms/import-ok.test/users.csv");
        Assert.Equal(200, export.Status);
        Assert.Equal("user,hmackey\ndave,0123456789abcdef0123456789abcdef\neve,fedcba9876543210fedcba9876543210\n", (await export.TextAsync()).ReplaceLineEndings("\n"));

        // Search by name prefix (case-insensitive), show a key on demand, delete with a confirmation.
        await Input(page, "users-search").FillAsync("EV");
        await Assertions.Expect(page.GetByTestId("users-total")).ToHaveTextAsync("1 users match");
        await Assertions.Expect(page.GetByTestId("user-row-dave")).ToHaveCountAsync(0);
        await page.GetByTestId("user-row-eve").GetByTestId("user-key").ClickAsync();
        await Assertions.Expect(Input(page, "user-key-value")).ToHaveValueAsync("fedcba9876543210fedcba9876543210");
        await page.GetByTestId("confirm-ok").ClickAsync();
        await page.GetByTestId("user-row-eve").GetByTestId("user-delete").ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-message")).ToContainTextAsync("Delete user 'eve'");
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("users-empty")).ToBeVisibleAsync();
        var left = await portal.Get<UserAdministration>().ListAsync(Setup, "import-ok.test", null, 0, 10, CancellationToken.None);
        Assert.Equal(["dave"], left.Items.Select(u => u.Name));
        var audit = await portal.Get<AuditLogQueries>().ListAsync(Setup, new AuditQuery(Realm: "import-ok.test"), 0, 100, CancellationToken.None);
        Assert.Equal(["user.delete", "user.key.view", "user.export", "user.import", "realm.add"], audit.Items.Select(a => a.Action));
    }

    [Fact]
    public async Task RealmAdmin_AnotherRealmsUsersByUrl_IsRefusedAndSeesNoData()
    {
        var realms = portal.Get<RealmAdministration>();
        var users = portal.Get<UserAdministration>();
        await realms.AddAsync(Setup, "mine.test", null, CancellationToken.None);
        await realms.AddAsync(Setup, "theirs.test", null, CancellationToken.None);
        await users.AddAsync(Setup, "mine.test", "my-user", "my-Passw0rd", CancellationToken.None);
        await users.AddAsync(Setup, "theirs.test", "their-secret-user", "their-Passw0rd", CancellationToken.None);
        await portal.Get<AdminAccountAdministration>().AddAsync("mine-admin", "mine-Admin-Passw0rd", "mine.test", Setup, CancellationToken.None);

        var page = await portal.NewPageAsync();
        await SignInAsync(page, "mine-admin", "mine-Admin-Passw0rd");

        // Own realm: visible.
        await OpenAsync(page, "users/mine.test");
        await Assertions.Expect(page.GetByTestId("user-row-my-user")).ToBeVisibleAsync();

        // Another realm's URL: a refusal, and none of its data anywhere on the page.
        await OpenAsync(page, "users/theirs.test");
        await Assertions.Expect(page.GetByTestId("refusal")).ToContainTextAsync("may only manage realm 'mine.test'");
        Assert.DoesNotContain("their-secret-user", await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("users-grid")).ToHaveCountAsync(0);

        // The same for the realm's page, its secrets, and the CSV download.
        await OpenAsync(page, "realms/theirs.test");
        await Assertions.Expect(page.GetByTestId("refusal")).ToBeVisibleAsync();
        await OpenAsync(page, "secrets/theirs.test");
        await Assertions.Expect(page.GetByTestId("refusal")).ToBeVisibleAsync();
        await OpenAsync(page, "peer-rules?realm=theirs.test");
        await Assertions.Expect(page.GetByTestId("refusal")).ToBeVisibleAsync();
        var export = await page.APIRequest.GetAsync("realms/theirs.test/users.csv");
        Assert.Equal(403, export.Status);
        Assert.DoesNotContain("their-secret-user", await export.TextAsync(), StringComparison.Ordinal);

        // The audit log shows only the admin's realm.
        await OpenAsync(page, "audit");
        await Assertions.Expect(page.GetByTestId("audit-grid")).ToContainTextAsync("my-user");
        Assert.DoesNotContain("theirs.test", await page.GetByTestId("audit-grid").InnerTextAsync(), StringComparison.Ordinal);

        // Lists show only the admin's realm; /users goes straight to it.
        await OpenAsync(page, "realms");
        await Assertions.Expect(page.GetByTestId("realm-link")).ToHaveTextAsync(["mine.test"]);
        await page.GotoAsync("users");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users/mine\\.test$"));
    }

    [Fact]
    public async Task BadInput_ShowsInlineErrors_AndSavesNothing()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "valid.test", null, CancellationToken.None);
        await portal.Get<UserAdministration>().AddAsync(Setup, "valid.test", "taken", "taken-Passw0rd", CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);

        // Invalid realm name.
        await OpenAsync(page, "realms");
        await page.GetByTestId("realm-add").ClickAsync();
        await Input(page, "realm-name").FillAsync("Bad_Realm");
        await page.GetByTestId("realm-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog .mud-input-helper-text.mud-input-error")).ToContainTextAsync("may only contain lowercase letters");
        await Input(page, "realm-name").FillAsync("valid.test");
        await page.GetByTestId("realm-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Realm 'valid.test' already exists.");
        await page.Keyboard.PressAsync("Escape");

        // A user name with a colon, an empty password, a duplicate.
        await OpenAsync(page, "users/valid.test");
        await page.GetByTestId("user-add").ClickAsync();
        await Input(page, "user-name").FillAsync("a:b");
        await page.GetByTestId("user-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("must not contain ':'");
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("The password is empty.");
        await Input(page, "user-name").FillAsync("taken");
        await Input(page, "user-password").FillAsync("other-Passw0rd");
        await page.GetByTestId("user-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("User 'taken' already exists in realm 'valid.test'.");
        await page.Keyboard.PressAsync("Escape");

        // A malformed peer range.
        await OpenAsync(page, "peer-rules?realm=valid.test");
        await Input(page, "rule-range").FillAsync("10.0.0.1/8");
        await page.GetByTestId("rule-add").ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("did you mean 10.0.0.0/8?");
        await Assertions.Expect(page.GetByTestId("rules-builtin")).ToContainTextAsync("169.254.0.0/16");

        var users = await portal.Get<UserAdministration>().ListAsync(Setup, "valid.test", null, 0, 10, CancellationToken.None);
        Assert.Equal(["taken"], users.Items.Select(u => u.Name));
        Assert.Empty(await portal.Get<PeerRuleAdministration>().ListAsync(Setup, "valid.test", CancellationToken.None));
        Assert.DoesNotContain(await portal.Get<RealmAdministration>().ListAsync(Setup, CancellationToken.None), r => r.Name == "bad_realm");
    }

    [Fact]
    public async Task ConcurrentEdit_LaterSaveIsToldAndNotApplied()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "race.test", null, CancellationToken.None);
        await portal.Get<UserAdministration>().AddAsync(Setup, "race.test", "shared", "shared-Passw0rd", CancellationToken.None);
        var first = await portal.NewPageAsync();
        var second = await portal.NewPageAsync();
        await SignInAsync(first, "admin", PortalFixture.AdminPassword);
        await SignInAsync(second, "admin", PortalFixture.AdminPassword);
        await OpenAsync(first, "users/race.test");
        await OpenAsync(second, "users/race.test");
        await Assertions.Expect(second.GetByTestId("user-row-shared")).ToBeVisibleAsync();

        // The first admin changes the password; the second still shows the row as loaded before.
        await first.GetByTestId("user-row-shared").GetByTestId("user-passwd").ClickAsync();
        await Input(first, "user-password").FillAsync("newer-Passw0rd");
        await first.GetByTestId("user-save").ClickAsync();
        await Assertions.Expect(first.GetByTestId("user-password")).ToHaveCountAsync(0);

        await second.GetByTestId("user-row-shared").GetByTestId("user-toggle").ClickAsync();

        await Assertions.Expect(second.GetByTestId("users-error")).ToContainTextAsync("Someone else changed");
        var user = await portal.Get<UserAdministration>().GetAsync(Setup, "race.test", "shared", CancellationToken.None);
        Assert.False(user.Disabled);
    }

    [Fact]
    public async Task Pages_SendSecurityHeaders_AndStillRunInteractively()
    {
        var page = await portal.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(message.Text);
        };
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);

        var response = await page.GotoAsync("secrets");
        await WaitInteractiveAsync(page);

        var headers = await response!.AllHeadersAsync();
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        // The circuit came up under the policy (the marker renders only when interactive) and a dialog works.
        await page.GetByTestId("secrets-realm").ClickAsync();
        Assert.Empty(violations);
    }
}
