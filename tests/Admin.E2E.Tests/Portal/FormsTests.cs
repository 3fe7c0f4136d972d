using Admin.Data.Administration;
using Admin.E2E.Tests.Polish;
using Microsoft.Playwright;
using static Admin.E2E.Tests.Portal.PortalPages;

namespace Admin.E2E.Tests.Portal;

/// <summary>
/// Forms in a real browser: Add dialogs show no error before anything is typed, only after an edit or a submit; the CSV
/// import preview lists every row Import would refuse with its line; existing users are skipped or updated, per line.
/// </summary>
[Collection(ManagementCollection.Name)]
public sealed class FormsTests(ManagementFixture portal)
{
    private static readonly AdminActor Setup = ManagementFixture.Setup;

    [Fact]
    public async Task AddDialogs_NoErrorBeforeTyping_ErrorAfterSubmitOrEdit()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "forms.test", null, CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);
        var errors = page.Locator(".mud-dialog .mud-input-helper-text.mud-input-error");

        await OpenAsync(page, "realms");
        await page.GetByTestId("realm-add").ClickAsync();
        await Assertions.Expect(Input(page, "realm-name")).ToBeVisibleAsync();
        // Focus moves through the fields (a blur without an edit): still no red "is empty".
        await Input(page, "realm-name").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.WaitForTimeoutAsync(300);
        await Assertions.Expect(errors).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-dialog")).Not.ToContainTextAsync("is empty");
        await page.GetByTestId("realm-save").ClickAsync();
        await Assertions.Expect(errors.First).ToContainTextAsync("The realm name is empty.");
        await page.Keyboard.PressAsync("Escape");

        await OpenAsync(page, "users/forms.test");
        await page.GetByTestId("user-add").ClickAsync();
        await Assertions.Expect(Input(page, "user-name")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(300);
        await Assertions.Expect(errors).ToHaveCountAsync(0);
        // An edit then a blur shows the error for what was typed.
        await Input(page, "user-name").FillAsync("a:b");
        await Input(page, "user-password").FocusAsync();
        await Assertions.Expect(errors.First).ToContainTextAsync("must not contain ':'");
    }

    [Fact]
    public async Task ImportPreview_ListsEveryRefusedRowWithItsLine_BeforeImport()
    {
        await portal.Get<RealmAdministration>().AddAsync(Setup, "preview.test", null, CancellationToken.None);
        await portal.Get<UserAdministration>().AddAsync(Setup, "preview.test", "existing", "old-Passw0rd", CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);
        await OpenAsync(page, "users/preview.test");

        await page.GetByTestId("user-import").ClickAsync();
        await SetInputFileAsync(page, "import-file", Csv("user,password\nok,ok-Passw0rd\n,empty-Passw0rd\nexisting,new-Passw0rd\nok,dup-Passw0rd\nbad:name,x-Passw0rd\n"));

        await Assertions.Expect(page.GetByTestId("import-failed")).ToContainTextAsync("Import would refuse this file: 4 rows");
        var rows = page.GetByTestId("import-error-row");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("3The user name is empty.");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("already exists");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("also appears on line 2");
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync("must not contain ':'");
        await Assertions.Expect(page.GetByTestId("import-submit")).ToBeDisabledAsync();
        await Screenshots.TakeAsync(page, "forms-import-preview");

        // Skipping existing users drops that refusal from the preview at once.
        await page.GetByTestId("import-existing-skip").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        Assert.Equal(0, (await portal.Get<UserAdministration>().ListAsync(Setup, "preview.test", "ok", 0, 10, CancellationToken.None)).TotalCount);
    }

    [Theory]
    [InlineData("skip", "1 added, 0 updated, 1 skipped.", "skipped", "old-Passw0rd")]
    [InlineData("update", "1 added, 1 updated, 0 skipped.", "updated", "new-Passw0rd")]
    public async Task Import_ExistingUsers_SkippedOrUpdated_ReportedPerLine(string mode, string summary, string outcome, string keptPassword)
    {
        var realm = $"existing-{mode}.test";
        await portal.Get<RealmAdministration>().AddAsync(Setup, realm, null, CancellationToken.None);
        await portal.Get<UserAdministration>().AddAsync(Setup, realm, "kept", "old-Passw0rd", CancellationToken.None);
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);
        await OpenAsync(page, $"users/{realm}");

        await page.GetByTestId("user-import").ClickAsync();
        await page.GetByTestId($"import-existing-{mode}").ClickAsync();
        await SetInputFileAsync(page, "import-file", Csv("user,password\nkept,new-Passw0rd\nfresh,fresh-Passw0rd\n"));
        await Assertions.Expect(page.GetByTestId("import-preview-count")).ToHaveTextAsync("2 users in the file.");
        await Assertions.Expect(page.GetByTestId("import-failed")).ToHaveCountAsync(0);
        await page.GetByTestId("import-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("import-done")).ToHaveTextAsync(summary);
        var lines = page.GetByTestId("import-line-row");
        await Assertions.Expect(lines).ToHaveCountAsync(2);
        await Assertions.Expect(lines.Nth(0)).ToContainTextAsync($"2kept{outcome}");
        await Assertions.Expect(lines.Nth(1)).ToContainTextAsync("3freshadded");
        if (mode == "update") await Screenshots.TakeAsync(page, "forms-import-result");
        var key = await portal.Get<UserAdministration>().GetKeyAsync(Setup, realm, "kept", CancellationToken.None);
        Assert.Equal(Turn.Protocol.LongTermKey.ComputeHex("kept", realm, keptPassword), key);
    }

    private static FilePayload Csv(string text) => new() { Name = "users.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(text) };
}
