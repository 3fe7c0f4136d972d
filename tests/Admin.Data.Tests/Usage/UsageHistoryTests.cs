using Admin.Data.Administration;
using Admin.Data.Entities;
using Admin.Data.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Admin.Data.Tests.Usage;

/// <summary>Compaction into hours and days, retention, and reports across resolutions, on real PostgreSQL.</summary>
public sealed class UsageHistoryTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 34, 0, TimeSpan.Zero);

    private UsageRollups Rollups => fixture.Services.GetRequiredService<UsageRollups>();

    private UsageReports Reports => new(fixture.Services.GetRequiredService<NpgsqlDataSource>());

    private UsageCompactor Compactor(UsageOptions options) =>
        new(fixture.Services.GetRequiredService<NpgsqlDataSource>(), Options.Create(options), NullLogger<UsageCompactor>.Instance);

    [Fact]
    public async Task Compact_OldMinutesBecomeHoursThenDays_TotalsUnchanged_RunningTwiceChangesNothing()
    {
        var realm = AdminDataFixture.NewRealm();
        var old = Now.AddDays(-10);
        var oldHour = new DateTimeOffset(old.Year, old.Month, old.Day, old.Hour, 0, 0, TimeSpan.Zero);
        await Rollups.WriteAsync(
        [
            Row(realm, "node-a", "u", oldHour.AddMinutes(1), 100, 1000),
            Row(realm, "node-b", "u", oldHour.AddMinutes(1), 10, 10),
            Row(realm, "node-a", "u", oldHour.AddMinutes(59), 5, 5),
            Row(realm, "node-a", "u", Now.AddMinutes(-5), 7, 7), // recent: stays per minute
        ], None);
        var from = Now.AddDays(-30);
        var before = await Reports.TopUsersAsync(fixture.Superuser, realm, from, Now, 10, None);

        var options = new UsageOptions { MinuteRetention = TimeSpan.FromDays(7), HourRetention = TimeSpan.FromDays(90) };
        await Compactor(options).CompactAsync(Now, None);
        await Compactor(options).CompactAsync(Now, None);

        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnstone_usage_minute WHERE realm = $1", realm));
        Assert.Equal(115L, await fixture.ScalarAsync<long>("SELECT bytes_in FROM turnstone_usage_period WHERE realm = $1 AND granularity = 'hour' AND period_start = $2", realm, oldHour.UtcDateTime));
        Assert.Equal(before, await Reports.TopUsersAsync(fixture.Superuser, realm, from, Now, 10, None));
        Assert.Equal(122, before.Single().BytesIn);

        // Later, those hours become a day; with a day retention, older days go.
        var dayOptions = new UsageOptions { MinuteRetention = TimeSpan.FromDays(1), HourRetention = TimeSpan.FromDays(2), DayRetention = TimeSpan.FromDays(9) };
        await Compactor(dayOptions).CompactAsync(Now, None);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnstone_usage_period WHERE realm = $1 AND granularity = 'hour'", realm));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnstone_usage_period WHERE realm = $1 AND granularity = 'day'", realm));
        var afterRetention = await Reports.TopUsersAsync(fixture.Superuser, realm, from, Now, 10, None);
        Assert.Equal(7, afterRetention.Single().BytesIn);
    }

    [Fact]
    public async Task Series_AcrossResolutions_BucketsAndScopes()
    {
        var realm = AdminDataFixture.NewRealm();
        var other = AdminDataFixture.NewRealm();
        var hour = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
        await Rollups.WriteAsync(
        [
            Row(realm, "n", "u", hour.AddMinutes(1), 1, 2),
            Row(realm, "n", "v", hour.AddMinutes(2), 10, 20),
            Row(realm, "n", "u", hour.AddHours(1), 100, 200),
            Row(other, "n", "w", hour.AddMinutes(1), 1000, 1000),
        ], None);

        var hourly = await Reports.SeriesAsync(fixture.Superuser, realm, null, hour, hour.AddHours(3), UsageResolution.Hour, None);
        Assert.Equal([new UsagePoint(hour, 11, 22, 120), new UsagePoint(hour.AddHours(1), 100, 200, 60)], hourly);
        var justU = await Reports.SeriesAsync(fixture.Superuser, realm, "u", hour, hour.AddHours(3), UsageResolution.Day, None);
        Assert.Equal([new UsagePoint(hour.AddHours(-9), 101, 202, 120)], justU);

        // A realm admin sees their realm only, with or without naming it.
        var admin = AdminActor.RealmAdmin("ra", realm, null);
        var top = await Reports.TopUsersAsync(admin, null, hour, hour.AddHours(3), 10, None);
        Assert.Equal(["u", "v"], top.Select(t => t.Name));
        var forbidden = await Assert.ThrowsAsync<AdminOperationException>(() => Reports.TopUsersAsync(admin, other, hour, hour.AddHours(3), 10, None));
        Assert.Equal(AdminErrorCode.Forbidden, forbidden.Code);
        var backwards = await Assert.ThrowsAsync<AdminOperationException>(() => Reports.TopUsersAsync(admin, null, hour, hour, 10, None));
        Assert.Equal(AdminErrorCode.InvalidInput, backwards.Code);

        var rows = new List<UsageRow>();
        await foreach (var row in Reports.ExportAsync(admin, null, hour, hour.AddHours(3), UsageResolution.Hour, None)) rows.Add(row);
        Assert.Equal([new UsageRow(hour, realm, "u", 1, 2, 1, 1, 60), new UsageRow(hour, realm, "v", 10, 20, 1, 1, 60), new UsageRow(hour.AddHours(1), realm, "u", 100, 200, 1, 1, 60)], rows);
    }

    private static UsageMinute Row(string realm, string node, string name, DateTimeOffset minute, long bytesIn, long bytesOut) => new()
    {
        Minute = minute, Node = node, Realm = realm, Name = name,
        BytesIn = bytesIn, BytesOut = bytesOut, PacketsIn = 1, PacketsOut = 1, AllocationSeconds = 60,
    };
}
