using Admin.Data.Administration;

namespace Admin.Data.Tests;

public sealed class RealmAdministrationTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Add_ThenGetAndList()
    {
        var name = AdminDataFixture.NewRealm();

        var added = await fixture.Realms.AddAsync(fixture.Superuser, name, "Example", None);

        Assert.Equal("Example", (await fixture.Realms.GetAsync(fixture.Superuser, name, None)).Description);
        Assert.Contains(await fixture.Realms.ListAsync(fixture.Superuser, None), r => r.Name == name && r.Version == added.Version);
    }

    [Fact]
    public async Task Add_Duplicate_RefusedAndNothingChanged()
    {
        var name = await fixture.AddRealmAsync();
        var auditBefore = await fixture.AuditCountAsync();

        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.AddAsync(fixture.Superuser, name, "other", None));

        Assert.Equal(AdminErrorCode.Duplicate, error.Code);
        Assert.Equal("test realm", (await fixture.Realms.GetAsync(fixture.Superuser, name, None)).Description);
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Example.org")]
    [InlineData("example..org")]
    [InlineData("-example.org")]
    [InlineData("exa mple.org")]
    [InlineData("example.org.")]
    [InlineData("ex_ample.org")]
    public async Task Add_InvalidName_Refused(string name)
    {
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.AddAsync(fixture.Superuser, name, null, None));
        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
        Assert.Equal("realm", error.Field);
    }

    [Fact]
    public async Task Add_TooLong_Refused()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 60), 3));
        Assert.True(name.Length > 127);
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.AddAsync(fixture.Superuser, name, null, None));
        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public async Task Add_ByRealmAdmin_Forbidden()
    {
        var error = await Assert.ThrowsAsync<AdminOperationException>(
            () => fixture.Realms.AddAsync(AdminActor.RealmAdmin("skarling", "north.gov", null), AdminDataFixture.NewRealm(), null, None));
        Assert.Equal(AdminErrorCode.Forbidden, error.Code);
    }

    [Fact]
    public async Task GetCounts_RealmAdmin_OnlyTheirRealm_SuperuserEverything()
    {
        var mine = await fixture.AddRealmAsync();
        var theirs = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, mine, "u1", "Passw0rd-1", None);
        await fixture.Users.AddAsync(fixture.Superuser, theirs, "u1", "Passw0rd-1", None);
        await fixture.Users.AddAsync(fixture.Superuser, theirs, "u2", "Passw0rd-2", None);
        await fixture.Secrets.GenerateAsync(fixture.Superuser, theirs, None);
        var admin = "a" + Guid.NewGuid().ToString("N")[..12];
        await fixture.ExecuteAsync("INSERT INTO admin_user (name, realm, password) VALUES ($1, $2, 'x'), ($3, $4, 'x')", admin, mine, admin + "t", theirs);

        var realmCounts = await fixture.Realms.GetCountsAsync(AdminActor.RealmAdmin(admin, mine, null), None);
        var all = await fixture.Realms.GetCountsAsync(fixture.Superuser, None);

        Assert.Equal(new ConfigurationCounts(1, 1, 0, 1), realmCounts);
        Assert.True(all.Realms >= 2 && all.Users >= 3 && all.Secrets >= 1 && all.Admins >= 2, all.ToString());
    }

    [Fact]
    public async Task UpdateDescription_StaleVersion_Conflict()
    {
        var name = AdminDataFixture.NewRealm();
        var added = await fixture.Realms.AddAsync(fixture.Superuser, name, "v1", None);

        var updated = await fixture.Realms.UpdateDescriptionAsync(fixture.Superuser, name, "v2", added.Version, None);
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.UpdateDescriptionAsync(fixture.Superuser, name, "v3", added.Version, None));

        Assert.Equal("v2", updated.Description);
        Assert.Equal(AdminErrorCode.Conflict, error.Code);
        Assert.Equal("v2", (await fixture.Realms.GetAsync(fixture.Superuser, name, None)).Description);
    }

    [Fact]
    public async Task SetLimits_WritesCoturnOptions_NullRemoves()
    {
        var name = await fixture.AddRealmAsync();

        await fixture.Realms.SetLimitsAsync(fixture.Superuser, name, new RealmLimits(3, 100, 1_000_000), None);
        Assert.Equal("3", await fixture.ScalarAsync<string>("SELECT value FROM turn_realm_option WHERE realm = $1 AND opt = 'user-quota'", name));
        Assert.Equal("100", await fixture.ScalarAsync<string>("SELECT value FROM turn_realm_option WHERE realm = $1 AND opt = 'total-quota'", name));
        Assert.Equal("1000000", await fixture.ScalarAsync<string>("SELECT value FROM turn_realm_option WHERE realm = $1 AND opt = 'max-bps'", name));

        await fixture.Realms.SetLimitsAsync(fixture.Superuser, name, new RealmLimits(5, null, null), None);
        Assert.Equal(new RealmLimits(5, null, null), await fixture.Realms.GetLimitsAsync(fixture.Superuser, name, None));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turn_realm_option WHERE realm = $1", name));
    }

    [Fact]
    public async Task SetLimits_Negative_Refused()
    {
        var name = await fixture.AddRealmAsync();
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.SetLimitsAsync(fixture.Superuser, name, new RealmLimits(-1, null, null), None));
        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turn_realm_option WHERE realm = $1", name));
    }

    [Fact]
    public async Task Origins_AddListRemove_DuplicateRefused()
    {
        var name = await fixture.AddRealmAsync();
        var origin = $"https://{name}";

        var stored = await fixture.Realms.AddOriginAsync(fixture.Superuser, name, origin, None);
        var duplicate = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.AddOriginAsync(fixture.Superuser, name, origin, None));
        var invalid = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.AddOriginAsync(fixture.Superuser, name, "not an origin", None));
        // Stored as coturn stores it (turnadmin canonicalises: lower case, the scheme's default port written out).
        Assert.Equal($"https://{name}:443", stored);
        Assert.Equal([stored], await fixture.Realms.ListOriginsAsync(fixture.Superuser, name, None));
        await fixture.Realms.RemoveOriginAsync(fixture.Superuser, name, origin, None);

        Assert.Equal(AdminErrorCode.Duplicate, duplicate.Code);
        Assert.Equal(AdminErrorCode.InvalidInput, invalid.Code);
        Assert.Empty(await fixture.Realms.ListOriginsAsync(fixture.Superuser, name, None));
    }

    [Fact]
    public async Task Delete_RemovesEverythingInRealm_AndReportsImpact()
    {
        var name = await fixture.AddRealmAsync();
        var keep = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, name, "u1", "pw", None);
        await fixture.Users.AddAsync(fixture.Superuser, name, "u2", "pw", None);
        await fixture.Users.AddAsync(fixture.Superuser, keep, "u1", "pw", None);
        await fixture.Secrets.GenerateAsync(fixture.Superuser, name, None);
        await fixture.PeerRules.AddAsync(fixture.Superuser, name, PeerRuleKind.Allow, "10.0.0.0/8", None);
        await fixture.Realms.AddOriginAsync(fixture.Superuser, name, $"https://{name}", None);
        await fixture.Realms.SetLimitsAsync(fixture.Superuser, name, new RealmLimits(1, null, null), None);

        var preview = await fixture.Realms.GetImpactAsync(fixture.Superuser, name, None);
        var impact = await fixture.Realms.DeleteAsync(fixture.Superuser, name, None);

        Assert.Equal(new RealmImpact(2, 1, 1, 1, 1, 0), preview);
        Assert.Equal(preview, impact);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = $1", name));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = $1", keep));
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.GetAsync(fixture.Superuser, name, None));
        Assert.Equal(AdminErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task RealmAdmin_SeesOnlyOwnRealm()
    {
        var own = await fixture.AddRealmAsync();
        await fixture.AddRealmAsync();
        var admin = AdminActor.RealmAdmin("skarling", own, null);

        var list = await fixture.Realms.ListAsync(admin, None);
        await fixture.Realms.UpdateDescriptionAsync(admin, own, "mine", null, None);

        Assert.Equal([own], list.Select(r => r.Name));
        await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Realms.DeleteAsync(admin, own, None));
    }

    [Fact]
    public async Task EveryOperation_WritesAuditRow()
    {
        var name = AdminDataFixture.NewRealm();
        await fixture.Realms.AddAsync(fixture.Superuser, name, "d1", None);
        await fixture.Realms.UpdateDescriptionAsync(fixture.Superuser, name, "d2", null, None);
        await fixture.Realms.SetLimitsAsync(fixture.Superuser, name, new RealmLimits(1, 2, 3), None);
        await fixture.Realms.AddOriginAsync(fixture.Superuser, name, $"https://{name}", None);
        await fixture.Realms.RemoveOriginAsync(fixture.Superuser, name, $"https://{name}", None);
        await fixture.Realms.DeleteAsync(fixture.Superuser, name, None);

        var rows = await AuditRows.ReadAsync(fixture, name);

        Assert.Equal(["realm.add", "realm.update", "realm.limits", "realm.origin.add", "realm.origin.delete", "realm.delete"], rows.Select(r => r.Action));
        Assert.Contains("\"d1\"", rows[1].Details);
        Assert.Contains("\"d2\"", rows[1].Details);
    }
}
