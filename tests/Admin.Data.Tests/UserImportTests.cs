using Admin.Data.Administration;
using Admin.Data.Exports;
using Turn.Protocol;

namespace Admin.Data.Tests;

public sealed class UserImportTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Import_PasswordsCsv_AddsAllWithCoturnKeys_AndOneAuditRow()
    {
        var realm = await fixture.AddRealmAsync();
        var (rows, errors) = UserCsv.Parse(new StringReader("user,password\ngorst,hero\n\n\"comma,name\",\"pa\"\"ss\"\n"));
        Assert.Empty(errors);

        var result = await fixture.Users.ImportAsync(fixture.Superuser, realm, rows, None);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Imported);
        Assert.Equal(LongTermKey.ComputeHex("gorst", realm, "hero"), await fixture.Users.GetKeyAsync(fixture.Superuser, realm, "gorst", None));
        Assert.Equal(LongTermKey.ComputeHex("comma,name", realm, "pa\"ss"), await fixture.Users.GetKeyAsync(fixture.Superuser, realm, "comma,name", None));
        var audit = await AuditRows.ReadAsync(fixture, realm);
        var import = Assert.Single(audit, r => r.Action == "user.import");
        Assert.DoesNotContain("hero", import.All);
    }

    [Fact]
    public async Task Import_OneBadRow_NothingImported_EveryBadRowReported()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "existing", "pw", None);
        var auditBefore = await fixture.AuditCountAsync();
        var csv = "user,hmackey\nok1,7da2270ccfa49786e0115366d3a3d14d\nbad:name,7da2270ccfa49786e0115366d3a3d14d\nok2,nothex\nexisting,7da2270ccfa49786e0115366d3a3d14d\nok1,7da2270ccfa49786e0115366d3a3d14d\n";
        var (rows, parseErrors) = UserCsv.Parse(new StringReader(csv));
        Assert.Empty(parseErrors);

        var result = await fixture.Users.ImportAsync(fixture.Superuser, realm, rows, None);

        Assert.False(result.Succeeded);
        Assert.Equal(0, result.Imported);
        Assert.Equal([3, 4, 5, 6], result.Errors.Select(e => e.Line));
        Assert.Contains("already exists", result.Errors.Single(e => e.Line == 5).Message);
        Assert.Contains("line 2", result.Errors.Single(e => e.Line == 6).Message);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = $1", realm));
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("name,secret\na,b\n", 1)]
    [InlineData("user,password\n\"open,b\n", 2)]
    [InlineData("user,password\na,b,c\n", 2)]
    public void Parse_BadInput_ReportsLine(string csv, int line)
    {
        var (_, errors) = UserCsv.Parse(new StringReader(csv));

        Assert.Equal(line, Assert.Single(errors).Line);
    }

    [Fact]
    public async Task Export_StreamsAllUsersInNameOrder_AsCsvThatImportsBack()
    {
        var source = await fixture.AddRealmAsync();
        var rows = Enumerable.Range(0, 12_345).Select(i => new UserImportRow(i + 2, $"user{i:D5}", $"pw{i}", null)).ToList();
        Assert.True((await fixture.Users.ImportAsync(fixture.Superuser, source, rows, None)).Succeeded);
        await fixture.Users.SetDisabledAsync(fixture.Superuser, source, "user00007", true, null, None);

        var writer = new StringWriter();
        await UserCsv.WriteAsync(writer, fixture.Users.ExportAsync(fixture.Superuser, source, None), None);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("user,hmackey", lines[0]);
        Assert.Equal(12_346, lines.Length);
        Assert.Equal($"user00000,{LongTermKey.ComputeHex("user00000", source, "pw0")}", lines[1]);
        Assert.Equal(lines.Skip(1).Order(StringComparer.Ordinal), lines.Skip(1));
        Assert.Contains(await AuditRows.ReadAsync(fixture, source), r => r.Action == "user.export");
    }
}
