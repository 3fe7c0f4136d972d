using System.Text;
using Admin.Data.Administration;
using Admin.Data.Exports;
using Admin.Data.Usage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turn.Protocol;

namespace Admin.Data.Tests.Exports;

/// <summary>
/// The CSV exports' one home: refusals come before anything is written (and audit nothing), a started export is
/// audited once, and the files have the exact format the portal and the API send.
/// </summary>
public sealed class ExportTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private UserExport Users => fixture.Services.GetRequiredService<UserExport>();

    private UsageExport Usage => new(new UsageBilling(fixture.Services.GetRequiredService<NpgsqlDataSource>()));

    [Fact]
    public async Task UserExport_AuditsOnceWhenStarted_AndWritesUserHmackeyCsv()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "b,ob", "pw-bob", None);
        await fixture.Users.AddAsync(fixture.Superuser, realm, "ann", "pw-ann", None);

        await using var export = await Users.StartAsync(fixture.Superuser, realm, None);
        // Audited before a byte is written: the download may still be abandoned.
        Assert.Single(await AuditRows.ReadAsync(fixture, realm), r => r.Action == "user.export");
        using var stream = new MemoryStream();
        await export.WriteToAsync(stream, None);

        var text = Encoding.UTF8.GetString(stream.ToArray()).ReplaceLineEndings("\n");
        Assert.Equal($"user,hmackey\nann,{LongTermKey.ComputeHex("ann", realm, "pw-ann")}\n\"b,ob\",{LongTermKey.ComputeHex("b,ob", realm, "pw-bob")}\n", text);
        Assert.NotEqual(0xEF, stream.ToArray()[0]); // no byte order mark
        Assert.Single(await AuditRows.ReadAsync(fixture, realm), r => r.Action == "user.export");
    }

    [Fact]
    public async Task UserExport_NeutralisesFormulaNames_AndImportsBackToTheSameNames()
    {
        var realm = await fixture.AddRealmAsync();
        string[] names = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tTAB", "'quote", "plain"];
        // (A name holding CR or LF is exported quoted but cannot be imported: the import reads one line per user.)
        // Raw SQL, as coturn's tools would write them.
        foreach (var name in names)
            await fixture.ExecuteAsync("INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, $2, $3)", realm, name, LongTermKey.ComputeHex(name, realm, "pw"));

        await using var export = await Users.StartAsync(fixture.Superuser, realm, None);
        using var stream = new MemoryStream();
        await export.WriteToAsync(stream, None);
        var text = Encoding.UTF8.GetString(stream.ToArray());

        // No line's first cell starts with a character a spreadsheet would run (quotes only wrap, the ' stays first).
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            Assert.DoesNotMatch("^\"?[=+\\-@\t\r]", line);
        var (rows, errors) = UserCsv.Parse(new StringReader(text));
        Assert.Empty(errors);
        Assert.Equal(names.Order(StringComparer.Ordinal), rows.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(LongTermKey.ComputeHex(r.Name, realm, "pw"), r.HmacKey));
    }

    [Fact]
    public async Task UserExport_EmptyRealm_IsJustTheHeader()
    {
        var realm = await fixture.AddRealmAsync();

        await using var export = await Users.StartAsync(fixture.Superuser, realm, None);
        using var stream = new MemoryStream();
        await export.WriteToAsync(stream, None);

        Assert.Equal("user,hmackey\n", Encoding.UTF8.GetString(stream.ToArray()).ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task UserExport_Refusals_ThrowBeforeAnything_AndAuditNothing()
    {
        var realm = await fixture.AddRealmAsync();
        var auditBefore = await fixture.AuditCountAsync();

        var otherRealm = await Assert.ThrowsAsync<AdminOperationException>(() => Users.StartAsync(AdminActor.RealmAdmin("ra", "mine.example", null), realm, None));
        var unknown = await Assert.ThrowsAsync<AdminOperationException>(() => Users.StartAsync(fixture.Superuser, AdminDataFixture.NewRealm(), None));

        Assert.Equal((AdminErrorCode.Forbidden, "realm"), (otherRealm.Code, otherRealm.Field));
        Assert.Equal((AdminErrorCode.NotFound, "realm"), (unknown.Code, unknown.Field));
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
    }

    [Fact]
    public async Task UsageExport_Refusals_ThrowBeforeAnything()
    {
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        var backwards = await Assert.ThrowsAsync<AdminOperationException>(() => Usage.StartAsync(fixture.Superuser, null, from, from.AddDays(-1), UsageResolution.Day, None));
        var otherRealm = await Assert.ThrowsAsync<AdminOperationException>(() =>
            Usage.StartAsync(AdminActor.RealmAdmin("ra", "mine.example", null), "theirs.example", from, from.AddDays(1), UsageResolution.Day, None));

        Assert.Equal((AdminErrorCode.InvalidInput, "to"), (backwards.Code, backwards.Field));
        Assert.Equal(AdminErrorCode.Forbidden, otherRealm.Code);
        Assert.Equal("turnstone-usage-20261101-20261201.csv", UsageExport.FileName(from, from.AddMonths(1)));
    }

    [Fact]
    public async Task UsageExport_NoUsage_IsJustTheHeader()
    {
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        await using var export = await Usage.StartAsync(fixture.Superuser, AdminDataFixture.NewRealm(), from, from.AddDays(1), UsageResolution.Hour, None);
        using var stream = new MemoryStream();
        await export.WriteToAsync(stream, None);

        Assert.Equal(UsageCsv.Header + "\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task UsageCsv_QuotesNames_AndDefusesSpreadsheetFormulas()
    {
        var at = new DateTimeOffset(2026, 11, 2, 13, 0, 0, TimeSpan.Zero);
        var writer = new StringWriter();

        await UsageCsv.WriteAsync(writer, Rows(
            new UsageBillingRow(at, "example.org", "=cmd", "=cmd", 1, 2, 3, 4, 1.5),
            new UsageBillingRow(at, "example.org", "a,\"b\"", "1796635831:a,\"b\"@example.org", 10, 20, 30, 40, 0.12345)), None);

        Assert.Equal(
            UsageCsv.Header + "\n" +
            "2026-11-02T13:00:00Z,example.org,'=cmd,1,2,3,4,1.5,'=cmd\n" +
            "2026-11-02T13:00:00Z,example.org,\"a,\"\"b\"\"\",10,20,30,40,0.123,\"1796635831:a,\"\"b\"\"@example.org\"\n",
            writer.ToString());
        Assert.Equal("'-1", UsageCsv.Field("-1"));
        Assert.Equal("\"'@a,b\"", UsageCsv.Field("@a,b"));
        Assert.Equal("plain", UsageCsv.Field("plain"));
    }

    private static async IAsyncEnumerable<UsageBillingRow> Rows(params UsageBillingRow[] rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }
}
