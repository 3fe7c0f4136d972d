using Admin.Data.Administration;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.Data.Tests;

/// <summary>Host names and origins per realm: scoping for realm admins, and no realm can take another's.</summary>
public sealed class RealmEntryPointsTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private RealmEntryPoints EntryPoints => fixture.Services.GetRequiredService<RealmEntryPoints>();

    [Fact]
    public async Task AddHostName_NormalisedListedRemoved_Audited()
    {
        var realm = await fixture.AddRealmAsync();
        var host = $"TURN.{realm}.";

        var stored = await EntryPoints.AddHostNameAsync(fixture.Superuser, realm, host, None);
        var listed = await EntryPoints.ListHostNamesAsync(fixture.Superuser, realm, None);
        await EntryPoints.RemoveHostNameAsync(fixture.Superuser, realm, host, None);

        Assert.Equal($"turn.{realm}", stored);
        Assert.Equal([stored], listed);
        Assert.Empty(await EntryPoints.ListHostNamesAsync(fixture.Superuser, realm, None));
        var rows = await AuditRows.ReadAsync(fixture, realm);
        Assert.Equal(["realm.add", "realm.hostname.add", "realm.hostname.delete"], rows.Select(r => r.Action));
    }

    [Theory]
    [InlineData("*.example.org")]
    [InlineData("192.0.2.1")]
    [InlineData("[2001:db8::1]")]
    [InlineData("localhost")]
    [InlineData("a..example.org")]
    [InlineData("-a.example.org")]
    [InlineData("a_b.example.org")]
    [InlineData("")]
    public async Task AddHostName_Invalid_RefusedWithField(string host)
    {
        var realm = await fixture.AddRealmAsync();

        var error = await Assert.ThrowsAsync<AdminOperationException>(() => EntryPoints.AddHostNameAsync(fixture.Superuser, realm, host, None));

        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
        Assert.Equal("hostName", error.Field);
    }

    [Fact]
    public async Task RealmAdmin_CannotClaimAnotherRealmsHostName_NorLearnItsName()
    {
        var mine = await fixture.AddRealmAsync();
        var theirs = await fixture.AddRealmAsync();
        var admin = AdminActor.RealmAdmin("bob", mine, "192.0.2.8");
        await EntryPoints.AddHostNameAsync(fixture.Superuser, theirs, $"turn.{theirs}", None);
        var auditBefore = await fixture.AuditCountAsync();

        var taken = await Assert.ThrowsAsync<AdminOperationException>(() => EntryPoints.AddHostNameAsync(admin, mine, $"Turn.{theirs}", None));
        var foreign = await Assert.ThrowsAsync<AdminOperationException>(() => EntryPoints.AddHostNameAsync(admin, theirs, $"new.{theirs}", None));
        var foreignRemove = await Assert.ThrowsAsync<AdminOperationException>(() => EntryPoints.RemoveHostNameAsync(admin, theirs, $"turn.{theirs}", None));
        var notMine = await Assert.ThrowsAsync<AdminOperationException>(() => EntryPoints.RemoveHostNameAsync(admin, mine, $"turn.{theirs}", None));

        Assert.Equal(AdminErrorCode.Duplicate, taken.Code);
        Assert.Contains("another realm", taken.Message);
        Assert.DoesNotContain(theirs, taken.Message.Replace($"turn.{theirs}", "", StringComparison.Ordinal));
        Assert.Equal(AdminErrorCode.Forbidden, foreign.Code);
        Assert.Equal(AdminErrorCode.Forbidden, foreignRemove.Code);
        Assert.Equal(AdminErrorCode.NotFound, notMine.Code);
        Assert.Equal([$"turn.{theirs}"], await EntryPoints.ListHostNamesAsync(fixture.Superuser, theirs, None));
        Assert.Empty(await EntryPoints.ListHostNamesAsync(admin, mine, None));
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
    }

    [Fact]
    public async Task RealmAdmin_CannotClaimAnotherRealmsOrigin_InAnySpelling()
    {
        var mine = await fixture.AddRealmAsync();
        var theirs = await fixture.AddRealmAsync();
        var admin = AdminActor.RealmAdmin("carol", mine, "192.0.2.9");
        await fixture.Realms.AddOriginAsync(fixture.Superuser, theirs, $"https://app.{theirs}", None);
        // A row written before canonical storage (or by hand): the same origin, spelled differently.
        await fixture.ExecuteAsync("INSERT INTO turn_origin_to_realm (origin, realm) VALUES ($1, $2)", $"http://legacy.{theirs}", theirs);

        var same = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.AddOriginAsync(admin, mine, $"HTTPS://APP.{theirs}:443/", None));
        var legacy = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.AddOriginAsync(admin, mine, $"http://legacy.{theirs}:80", None));
        var foreign = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.AddOriginAsync(admin, theirs, "https://x.example", None));
        var own = await fixture.Realms.AddOriginAsync(admin, mine, $"https://app.{mine}:8443", None);

        Assert.Equal(AdminErrorCode.Duplicate, same.Code);
        Assert.Contains("another realm", same.Message);
        Assert.Equal(AdminErrorCode.Duplicate, legacy.Code);
        Assert.Equal(AdminErrorCode.Forbidden, foreign.Code);
        Assert.Equal($"https://app.{mine}:8443", own);
        Assert.Equal([own], await fixture.Realms.ListOriginsAsync(admin, mine, None));
    }

    [Fact]
    public async Task HostName_SameNameAddedTwiceAtOnce_OneWins()
    {
        var a = await fixture.AddRealmAsync();
        var b = await fixture.AddRealmAsync();
        var host = $"race.{a}";

        var results = await Task.WhenAll(
            Capture(() => EntryPoints.AddHostNameAsync(fixture.Superuser, a, host, None)),
            Capture(() => EntryPoints.AddHostNameAsync(fixture.Superuser, b, host, None)));

        Assert.Single(results, r => r is null);
        Assert.Single(results, r => r is { Code: AdminErrorCode.Duplicate });
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnstone_realm_host_name WHERE host_name = $1", host));
    }

    [Fact]
    public async Task DeleteRealm_RemovesItsHostNames()
    {
        var realm = await fixture.AddRealmAsync();
        await EntryPoints.AddHostNameAsync(fixture.Superuser, realm, $"turn.{realm}", None);

        var impact = await fixture.Realms.DeleteAsync(fixture.Superuser, realm, None);

        Assert.Equal(1, impact.HostNames);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnstone_realm_host_name WHERE realm = $1", realm));
    }

    private static async Task<AdminOperationException?> Capture(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (AdminOperationException e)
        {
            return e;
        }
    }
}
