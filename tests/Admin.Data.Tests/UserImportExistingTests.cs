using Admin.Data.Administration;
using Admin.Data.Exports;
using Turn.Protocol;

namespace Admin.Data.Tests;

/// <summary>The import's existing-user modes and the preview that reports, before anything is written, what Import would refuse.</summary>
public sealed class UserImportExistingTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string Csv = "user,password\nkept,new-pw\nfresh,pw2\n";

    [Fact]
    public async Task Preview_ReportsEveryRefusedRow_WithItsLine_AndWritesNothing()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "existing", "pw", None);
        var auditBefore = await fixture.AuditCountAsync();
        var (rows, parseErrors) = UserCsv.Parse(new StringReader("user,password\nok,pw\n,pw\nbad:name,pw\nexisting,pw\nok,pw\n" + new string('a', 600) + ",pw\n"));
        Assert.Empty(parseErrors);

        var refused = await fixture.Users.PreviewImportAsync(fixture.Superuser, realm, rows, ExistingUserMode.Refuse, None);

        Assert.Equal([3, 4, 5, 6, 7], refused.Select(e => e.Line));
        Assert.Contains("empty", refused[0].Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("already exists", refused[2].Message);
        Assert.Contains("line 2", refused[3].Message);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = $1", realm));
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());

        // Skipping or updating existing users means they are no longer refused; the other rows still are.
        var skipping = await fixture.Users.PreviewImportAsync(fixture.Superuser, realm, rows, ExistingUserMode.Skip, None);
        Assert.Equal([3, 4, 6, 7], skipping.Select(e => e.Line));
    }

    [Fact]
    public async Task Skip_AddsNewUsers_LeavesExistingKey_ReportsPerLine()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "kept", "old-pw", None);
        var (rows, _) = UserCsv.Parse(new StringReader(Csv));

        var result = await fixture.Users.ImportAsync(fixture.Superuser, realm, rows, ExistingUserMode.Skip, None);

        Assert.True(result.Succeeded);
        Assert.Equal(1, result.Imported);
        Assert.Equal([(2, "kept", UserImportOutcome.Skipped), (3, "fresh", UserImportOutcome.Added)], result.Lines.Select(l => (l.Line, l.Name, l.Outcome)));
        Assert.Equal(LongTermKey.ComputeHex("kept", realm, "old-pw"), await fixture.Users.GetKeyAsync(fixture.Superuser, realm, "kept", None));
        Assert.Equal(LongTermKey.ComputeHex("fresh", realm, "pw2"), await fixture.Users.GetKeyAsync(fixture.Superuser, realm, "fresh", None));
        var import = Assert.Single(await AuditRows.ReadAsync(fixture, realm), r => r.Action == "user.import");
        Assert.DoesNotContain("new-pw", import.All);
    }

    [Fact]
    public async Task Update_ReplacesExistingKey_AddsNewUsers_ReportsPerLine()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "kept", "old-pw", None);
        var (rows, _) = UserCsv.Parse(new StringReader(Csv));

        var result = await fixture.Users.ImportAsync(fixture.Superuser, realm, rows, ExistingUserMode.Update, None);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Imported);
        Assert.Equal(1, result.Updated);
        Assert.Equal([UserImportOutcome.Updated, UserImportOutcome.Added], result.Lines.Select(l => l.Outcome));
        Assert.Equal(LongTermKey.ComputeHex("kept", realm, "new-pw"), await fixture.Users.GetKeyAsync(fixture.Superuser, realm, "kept", None));
        Assert.Equal(2L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = $1", realm));
    }

    [Fact]
    public async Task Update_WithABadRow_ChangesNothing()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "kept", "old-pw", None);
        var (rows, _) = UserCsv.Parse(new StringReader(Csv + "bad:name,pw\n"));

        var result = await fixture.Users.ImportAsync(fixture.Superuser, realm, rows, ExistingUserMode.Update, None);

        Assert.False(result.Succeeded);
        Assert.Equal(4, Assert.Single(result.Errors).Line);
        Assert.Equal(LongTermKey.ComputeHex("kept", realm, "old-pw"), await fixture.Users.GetKeyAsync(fixture.Superuser, realm, "kept", None));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = $1", realm));
    }
}
