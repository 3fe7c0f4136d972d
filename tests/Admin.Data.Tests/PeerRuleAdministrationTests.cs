using Admin.Data.Administration;

namespace Admin.Data.Tests;

public sealed class PeerRuleAdministrationTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AddListDelete_RealmRulesInCoturnTables()
    {
        var realm = await fixture.AddRealmAsync();

        await fixture.PeerRules.AddAsync(fixture.Superuser, realm, PeerRuleKind.Allow, "10.0.0.0/8", None);
        await fixture.PeerRules.AddAsync(fixture.Superuser, realm, PeerRuleKind.Deny, "10.1.0.1-10.1.0.9", None);
        await fixture.PeerRules.AddAsync(fixture.Superuser, realm, PeerRuleKind.Deny, "2001:db8::/32", None);
        var listed = await fixture.PeerRules.ListAsync(fixture.Superuser, realm, None);
        await fixture.PeerRules.DeleteAsync(fixture.Superuser, realm, PeerRuleKind.Deny, "2001:db8::/32", None);

        Assert.Equal(
            [new PeerRule(realm, PeerRuleKind.Allow, "10.0.0.0/8"), new PeerRule(realm, PeerRuleKind.Deny, "10.1.0.1-10.1.0.9"), new PeerRule(realm, PeerRuleKind.Deny, "2001:db8::/32")],
            listed);
        Assert.Equal("10.0.0.0/8", await fixture.ScalarAsync<string>("SELECT ip_range FROM allowed_peer_ip WHERE realm = $1", realm));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM denied_peer_ip WHERE realm = $1", realm));
    }

    [Fact]
    public async Task Add_Duplicate_RefusedAndNothingChanged()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.PeerRules.AddAsync(fixture.Superuser, realm, PeerRuleKind.Deny, "192.0.2.1", None);
        var auditBefore = await fixture.AuditCountAsync();

        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.PeerRules.AddAsync(fixture.Superuser, realm, PeerRuleKind.Deny, "192.0.2.1", None));

        Assert.Equal(AdminErrorCode.Duplicate, error.Code);
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0/8")]
    [InlineData("10.0.0.9-10.0.0.1")]
    [InlineData("10.0.0.1-::1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("example.org")]
    [InlineData("10.0.0.1 ")]
    [InlineData("1")]
    public async Task Add_MalformedRange_RefusedWithMessage(string range)
    {
        var realm = await fixture.AddRealmAsync();

        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.PeerRules.AddAsync(fixture.Superuser, realm, PeerRuleKind.Allow, range, None));

        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
        Assert.Equal("range", error.Field);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM allowed_peer_ip WHERE realm = $1", realm));
    }

    [Fact]
    public async Task GlobalRules_OnlySuperuser_AndVisibleToRealmAdmins()
    {
        var realm = await fixture.AddRealmAsync();
        var realmAdmin = AdminActor.RealmAdmin("skarling", realm, null);
        var range = $"198.51.100.{Random.Shared.Next(1, 254)}";
        await fixture.PeerRules.AddAsync(fixture.Superuser, "", PeerRuleKind.Deny, range, None);

        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.PeerRules.AddAsync(realmAdmin, "", PeerRuleKind.Allow, "198.51.100.0/24", None));
        var visible = await fixture.PeerRules.ListAsync(realmAdmin, null, None);
        await fixture.PeerRules.DeleteAsync(fixture.Superuser, "", PeerRuleKind.Deny, range, None);

        Assert.Equal(AdminErrorCode.Forbidden, error.Code);
        Assert.Contains(new PeerRule("", PeerRuleKind.Deny, range), visible);
        var audit = await AuditRows.ReadAsync(fixture, null);
        Assert.Contains(audit, r => r.Action == "peer.deny.add" && r.Target == range);
        Assert.Contains(audit, r => r.Action == "peer.deny.delete" && r.Target == range);
    }

    [Fact]
    public async Task Delete_Unknown_NotFound()
    {
        var realm = await fixture.AddRealmAsync();
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.PeerRules.DeleteAsync(fixture.Superuser, realm, PeerRuleKind.Allow, "10.0.0.1", None));
        Assert.Equal(AdminErrorCode.NotFound, error.Code);
    }
}
