using Admin.Data.Administration;
using Admin.Data.Entities;
using Admin.Data.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.Data.Tests;

public sealed class UsageRollupsTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Minute = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private UsageRollups Usage => fixture.Services.GetRequiredService<UsageRollups>();

    [Fact]
    public async Task Write_RetriedAndUpdated_ReplacesInsteadOfDoubling_NodesAdd()
    {
        var realm = AdminDataFixture.NewRealm();
        var first = Row(realm, "node-a", "u", Minute, 100, 10);

        await Usage.WriteAsync([first], None);
        await Usage.WriteAsync([first], None);                                  // a retry
        await Usage.WriteAsync([Row(realm, "node-a", "u", Minute, 150, 20)], None); // a later flush of the same minute
        await Usage.WriteAsync([Row(realm, "node-b", "u", Minute, 1, 1), Row(realm, "node-a", "v", Minute.AddMinutes(1), 5, 5)], None);

        var top = await Usage.TopUsersAsync(fixture.Superuser, realm, Minute, Minute.AddHours(1), 10, None);
        var series = await Usage.SeriesAsync(fixture.Superuser, realm, null, Minute, Minute.AddHours(1), None);

        Assert.Equal([new UsageTotals(realm, "u", 151, 21, 2, 2, 120), new UsageTotals(realm, "v", 5, 5, 1, 1, 60)], top);
        Assert.Equal([new UsagePoint(Minute, 151, 21, 120), new UsagePoint(Minute.AddMinutes(1), 5, 5, 60)], series);
    }

    [Fact]
    public async Task Write_NotWholeMinute_Refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Usage.WriteAsync([Row("r", "n", "u", Minute.AddSeconds(1), 1, 1)], None));
    }

    [Fact]
    public async Task Read_RealmAdmin_OtherRealmForbidden()
    {
        var error = await Assert.ThrowsAsync<AdminOperationException>(
            () => Usage.SeriesAsync(AdminActor.RealmAdmin("skarling", "own.example", null), "other.example", null, Minute, Minute.AddHours(1), None));
        Assert.Equal(AdminErrorCode.Forbidden, error.Code);
    }

    private static UsageMinute Row(string realm, string node, string name, DateTimeOffset minute, long bytesIn, long bytesOut) => new()
    {
        Minute = minute, Node = node, Realm = realm, Name = name,
        BytesIn = bytesIn, BytesOut = bytesOut, PacketsIn = 1, PacketsOut = 1, AllocationSeconds = 60,
    };
}
