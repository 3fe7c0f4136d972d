using Admin.Data.Administration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;

namespace Admin.Data.Tests;

/// <summary>A realm admin's limits can never exceed the server's (issue 13); a superuser's may (the relay caps them).</summary>
public sealed class RealmLimitCeilingTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private RealmAdministration Realms(int userQuota = 10, int totalQuota = 0, long maxBps = 1_000_000) => new(
        fixture.Services.GetRequiredService<IDbContextFactory<AdminDbContext>>(),
        fixture.Services.GetRequiredService<AuditWriter>(),
        new Admin.Data.Realms.RealmDirectorySignal(),
        TimeProvider.System,
        new Limits(userQuota, totalQuota, maxBps));

    [Theory]
    [InlineData(11, null, null, "userQuota")]
    [InlineData(0, null, null, "userQuota")]
    [InlineData(null, null, 2_000_000L, "maxBitsPerSecond")]
    [InlineData(null, null, 0L, "maxBitsPerSecond")]
    public async Task SetLimits_RealmAdminAboveTheServer_IsRefused(int? userQuota, int? totalQuota, long? maxBps, string field)
    {
        var realm = await fixture.AddRealmAsync();
        var admin = AdminActor.RealmAdmin("ra", realm, "192.0.2.9");

        var error = await Assert.ThrowsAsync<AdminOperationException>(() =>
            Realms().SetLimitsAsync(admin, realm, new RealmLimits(userQuota, totalQuota, maxBps), None));

        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
        Assert.Equal(field, error.Field);
        Assert.Contains("server's Relay:", error.Message, StringComparison.Ordinal);
        Assert.Equal(RealmLimits.None, await Realms().GetLimitsAsync(admin, realm, None));
    }

    [Fact]
    public async Task SetLimits_RealmAdminAtOrBelowTheServer_OrUnlimitedWhereTheServerIs_IsStored()
    {
        var realm = await fixture.AddRealmAsync();
        var admin = AdminActor.RealmAdmin("ra", realm, null);
        // Server: user quota 10, total quota 0 (unlimited), 1 Mbit/s.
        var limits = new RealmLimits(10, 5000, 500_000);

        await Realms().SetLimitsAsync(admin, realm, limits, None);
        await Realms().SetLimitsAsync(admin, realm, new RealmLimits(3, 0, null), None);

        Assert.Equal(new RealmLimits(3, 0, null), await Realms().GetLimitsAsync(admin, realm, None));
    }

    [Fact]
    public async Task SetLimits_SuperuserAboveTheServer_IsStored()
    {
        var realm = await fixture.AddRealmAsync();
        var limits = new RealmLimits(50, null, 0);

        await Realms().SetLimitsAsync(fixture.Superuser, realm, limits, None);

        Assert.Equal(limits, await Realms().GetLimitsAsync(fixture.Superuser, realm, None));
    }

    [Fact]
    public async Task SetLimits_UnlimitedServer_LetsTheRealmAdminChoose()
    {
        var realm = await fixture.AddRealmAsync();
        var admin = AdminActor.RealmAdmin("ra", realm, null);

        await Realms(userQuota: 0, maxBps: 0).SetLimitsAsync(admin, realm, new RealmLimits(500, 0, 0), None);

        Assert.Equal(new RealmLimits(500, 0, 0), await Realms().GetLimitsAsync(admin, realm, None));
    }

    private sealed class Limits(int userQuota, int totalQuota, long maxBps) : IRelayLimits
    {
        public int UserQuota => userQuota;

        public int TotalQuota => totalQuota;

        public long MaxBitsPerSecond => maxBps;
    }
}
