using Admin.Data.Administration;
using Admin.Data.Entities;
using Admin.Data.Exports;
using Admin.Data.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Admin.Data.Tests.Usage;

/// <summary>Billing reports on real PostgreSQL: REST credentials grouped by user part, long-term users, realm totals, node filter, CSV.</summary>
public sealed class UsageBillingTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Hour = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private UsageRollups Rollups => fixture.Services.GetRequiredService<UsageRollups>();

    private UsageBilling Billing => new(fixture.Services.GetRequiredService<NpgsqlDataSource>());

    [Theory]
    [InlineData("1796635831:webrtc-ts@R", "R", "webrtc-ts")]
    [InlineData("1796635831:webrtc-ts", "R", "webrtc-ts")]
    [InlineData("1796635831:webrtc-ts@other", "R", "webrtc-ts@other")]
    [InlineData("1796635831:", "R", "")]
    [InlineData("1796635831:a:b", "R", "a:b")]
    [InlineData("alice", "R", "alice")]
    [InlineData("alice@R", "R", "alice@R")]
    [InlineData("x1:alice", "R", "x1:alice")]
    [InlineData(":alice", "R", ":alice")]
    public async Task UserPart_SqlAndCSharpAgree(string name, string realmSuffix, string expected)
    {
        var realm = AdminDataFixture.NewRealm();
        var stored = name.Replace("@R", "@" + realm, StringComparison.Ordinal);
        var want = expected.Replace("@R", "@" + realm, StringComparison.Ordinal);
        Assert.Equal("R", realmSuffix);
        Assert.Equal(want, UsageUserPart.Of(stored, realm));
        await Rollups.WriteAsync([Row(realm, "n", stored, Hour.AddMinutes(1), 1, 1)], None);
        var accounts = await Billing.AccountsAsync(fixture.Superuser, new UsageFilter(Hour, Hour.AddHours(1), realm), 10, None);
        Assert.Equal(want, Assert.Single(accounts).User);
    }

    [Fact]
    public async Task Accounts_GroupRestCredentialsByUser_RealmTotals_NodeFilter_Credentials_Csv()
    {
        var realm = AdminDataFixture.NewRealm();
        var other = AdminDataFixture.NewRealm();
        await Rollups.WriteAsync(
        [
            Row(realm, "node-a", "1796635831:webrtc-ts@" + realm, Hour.AddMinutes(1), 100, 1000),
            Row(realm, "node-b", "1796635900:webrtc-ts", Hour.AddMinutes(2), 10, 20),
            Row(realm, "node-a", "webrtc-ts", Hour.AddMinutes(3), 1, 2),             // the long-term user of the same name
            Row(realm, "node-a", "carol", Hour.AddMinutes(4), 5, 5),
            Row(other, "node-a", "1796635831:webrtc-ts@" + other, Hour.AddMinutes(1), 7, 7),
        ], None);
        var filter = new UsageFilter(Hour, Hour.AddHours(2));

        var accounts = await Billing.AccountsAsync(fixture.Superuser, filter with { Realm = realm }, 10, None);
        Assert.Equal([new UsageAccount(realm, "webrtc-ts", 3, 2, 111, 1022, 3, 3, 180), new UsageAccount(realm, "carol", 1, 0, 5, 5, 1, 1, 60)], accounts);

        var totals = await Billing.RealmTotalsAsync(fixture.Superuser, filter with { Realm = realm }, None);
        Assert.Equal([new UsageTotals(realm, null, 116, 1027, 4, 4, 240)], totals);

        var nodeB = await Billing.AccountsAsync(fixture.Superuser, filter with { Realm = realm, Node = "node-b" }, 10, None);
        Assert.Equal([new UsageAccount(realm, "webrtc-ts", 1, 1, 10, 20, 1, 1, 60)], nodeB);
        Assert.Equal(["node-a", "node-b"], await Billing.NodesAsync(fixture.Superuser, filter with { Realm = realm }, None));

        var names = await Billing.CredentialsAsync(fixture.Superuser, filter, realm, "webrtc-ts", 10, None);
        Assert.Equal(["1796635831:webrtc-ts@" + realm, "1796635900:webrtc-ts", "webrtc-ts"], names.Select(n => n.Name));

        var series = await Billing.SeriesAsync(fixture.Superuser, filter with { Realm = realm }, UsageResolution.Hour, "webrtc-ts", None);
        Assert.Equal([new UsagePoint(Hour, 111, 1022, 180)], series);

        // A realm admin sees their realm only.
        var admin = AdminActor.RealmAdmin("ra", realm, null);
        Assert.All(await Billing.AccountsAsync(admin, filter, 10, None), a => Assert.Equal(realm, a.Realm));
        var forbidden = await Assert.ThrowsAsync<AdminOperationException>(() => Billing.CredentialsAsync(admin, filter, other, "webrtc-ts", 10, None));
        Assert.Equal(AdminErrorCode.Forbidden, forbidden.Code);

        // The CSV keeps each user name, with its billing user beside it.
        await using var export = await new UsageExport(Billing).StartAsync(fixture.Superuser, filter with { Realm = realm }, UsageResolution.Day, None);
        using var stream = new MemoryStream();
        await export.WriteToAsync(stream, None);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(UsageCsv.Header, lines[0]);
        Assert.Contains($"2026-11-30T00:00:00Z,{realm},webrtc-ts,100,1000,1,1,60,1796635831:webrtc-ts@{realm}", lines);
        Assert.Contains($"2026-11-30T00:00:00Z,{realm},carol,5,5,1,1,60,carol", lines);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public async Task NodeFilter_LeavesOutCompactedPeriods_WhichHaveNoNode()
    {
        var realm = AdminDataFixture.NewRealm();
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var old = now.AddDays(-10);
        await Rollups.WriteAsync([Row(realm, "node-a", "u", old, 100, 100), Row(realm, "node-a", "u", now.AddMinutes(-5), 1, 1)], None);
        var compactor = new UsageCompactor(fixture.Services.GetRequiredService<NpgsqlDataSource>(),
            Options.Create(new UsageOptions { MinuteRetention = TimeSpan.FromDays(7), HourRetention = TimeSpan.FromDays(90) }), NullLogger<UsageCompactor>.Instance);
        await compactor.CompactAsync(now, None);
        var filter = new UsageFilter(now.AddDays(-30), now, realm);
        Assert.Equal(101, Assert.Single(await Billing.AccountsAsync(fixture.Superuser, filter, 10, None)).BytesIn);
        Assert.Equal(1, Assert.Single(await Billing.AccountsAsync(fixture.Superuser, filter with { Node = "node-a" }, 10, None)).BytesIn);
    }

    private static UsageMinute Row(string realm, string node, string name, DateTimeOffset minute, long bytesIn, long bytesOut) => new()
    {
        Minute = minute, Node = node, Realm = realm, Name = name,
        BytesIn = bytesIn, BytesOut = bytesOut, PacketsIn = 1, PacketsOut = 1, AllocationSeconds = 60,
    };
}
