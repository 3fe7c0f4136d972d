using Admin.Data.Administration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Admin.Data.Tests;

/// <summary>API tokens through Admin.Data: created and revoked with one audit row each, stored only hashed, refused at once.</summary>
public sealed class ApiTokenAdministrationTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<string> AddAdminAsync(string? realm = null)
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..12];
        await fixture.Admins.AddAsync(name, "correct horse", realm, fixture.Superuser, None);
        return name;
    }

    [Fact]
    public async Task Create_StoresOnlyTheHash_WritesOneAuditRow_AndTheTokenActsAsItsAdmin()
    {
        var realm = await fixture.AddRealmAsync();
        var admin = await AddAdminAsync(realm);

        var created = await fixture.Tokens.CreateAsync(fixture.Superuser, admin, "ci script", TimeSpan.FromDays(30), None);

        Assert.StartsWith(ApiTokenAdministration.TokenPrefix, created.Token);
        Assert.Equal(created.Token[..ApiTokenAdministration.ShownPrefixLength], created.Info.Prefix);
        Assert.True(created.Info.Id > 0);
        var stored = await fixture.ScalarAsync<byte[]>("SELECT token_hash FROM turnstone_admin_api_token WHERE id = $1", created.Info.Id);
        Assert.Equal(ApiTokenAdministration.Hash(created.Token), stored);
        var row = Assert.Single(await AuditRows.ReadByTargetAsync(fixture, $"{admin}/{created.Info.Prefix}"));
        Assert.Equal(("alice", "apitoken.add", null), (row.Admin, row.Action, row.Realm));
        Assert.Contains("ci script", row.Details);
        Assert.DoesNotContain(created.Token, row.All);
        Assert.Equal(new ApiTokenOwner(created.Info.Id, admin, realm, ApiTokenScope.FullAccess), await fixture.Tokens.ValidateAsync(created.Token, None));
    }

    [Fact]
    public async Task CreateVendOnly_StoresTheScope_OnlyForARealmTheAdminManages()
    {
        var realm = await fixture.AddRealmAsync();
        var other = await fixture.AddRealmAsync();
        var admin = await AddAdminAsync(realm);

        var created = await fixture.Tokens.CreateAsync(fixture.Superuser, admin, "app server", null, ApiTokenScope.VendOnly(realm), None);
        Assert.Equal(ApiTokenScope.VendOnly(realm), created.Info.Scope);
        Assert.Equal(ApiTokenScope.VendOnly(realm), (await fixture.Tokens.ValidateAsync(created.Token, None))!.Scope);
        Assert.Equal("vend:" + realm, Assert.Single(await fixture.Tokens.ListAsync(fixture.Superuser, admin, None)).Scope.ToString());
        Assert.Equal(("vend", realm), (await fixture.ScalarAsync<string>("SELECT scope FROM turnstone_admin_api_token WHERE id = $1", created.Info.Id),
            await fixture.ScalarAsync<string>("SELECT scope_realm FROM turnstone_admin_api_token WHERE id = $1", created.Info.Id)));

        var otherRealm = await Assert.ThrowsAsync<AdminOperationException>(() =>
            fixture.Tokens.CreateAsync(fixture.Superuser, admin, "x", null, ApiTokenScope.VendOnly(other), None));
        Assert.Equal((AdminErrorCode.Forbidden, "realm"), (otherRealm.Code, otherRealm.Field));
        var missing = await Assert.ThrowsAsync<AdminOperationException>(() =>
            fixture.Tokens.CreateAsync(fixture.Superuser, admin, "x", null, ApiTokenScope.VendOnly("no-such-" + realm), None));
        Assert.Equal((AdminErrorCode.InvalidInput, "realm"), (missing.Code, missing.Field));
        Assert.Equal(ApiTokenScope.VendOnly("r"), ApiTokenScope.Parse("vend:r"));
        Assert.Equal(ApiTokenScope.VendOnly("r"), ApiTokenScope.Parse("vend", "r"));
        Assert.Null(ApiTokenScope.Parse("vend"));
        Assert.Null(ApiTokenScope.Parse("admin"));
        Assert.Equal(ApiTokenScope.FullAccess, ApiTokenScope.Parse(null));
    }

    [Fact]
    public async Task Create_Refusals_SaveNothing_AndWriteNoAuditRow()
    {
        var admin = await AddAdminAsync();
        var auditBefore = await fixture.AuditCountAsync();
        var tokensBefore = await fixture.ScalarAsync<long>("SELECT count(*) FROM turnstone_admin_api_token");

        var unknownAdmin = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Tokens.CreateAsync(fixture.Superuser, "nobody-" + admin, "x", null, None));
        var othersToken = await Assert.ThrowsAsync<AdminOperationException>(() =>
            fixture.Tokens.CreateAsync(AdminActor.RealmAdmin("someone", "r.example", null), admin, "x", null, None));
        var noLabel = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Tokens.CreateAsync(fixture.Superuser, admin, "  ", null, None));
        var badLifetime = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Tokens.CreateAsync(fixture.Superuser, admin, "x", TimeSpan.Zero, None));

        Assert.Equal((AdminErrorCode.NotFound, "admin"), (unknownAdmin.Code, unknownAdmin.Field));
        Assert.Equal((AdminErrorCode.Forbidden, "admin"), (othersToken.Code, othersToken.Field));
        Assert.Equal((AdminErrorCode.InvalidInput, "label"), (noLabel.Code, noLabel.Field));
        Assert.Equal((AdminErrorCode.InvalidInput, "lifetime"), (badLifetime.Code, badLifetime.Field));
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
        Assert.Equal(tokensBefore, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnstone_admin_api_token"));
    }

    [Fact]
    public async Task Revoke_WritesOneAuditRow_RefusesTheTokenAtOnce_AndASecondRevokeChangesNothing()
    {
        var realm = await fixture.AddRealmAsync();
        var admin = await AddAdminAsync(realm);
        // A realm admin manages their own tokens.
        var owner = AdminActor.RealmAdmin(admin, realm, null);
        var created = await fixture.Tokens.CreateAsync(owner, admin, "to revoke", null, None);

        var revoked = await fixture.Tokens.RevokeAsync(owner, admin, created.Info.Id, None);
        var again = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Tokens.RevokeAsync(owner, admin, created.Info.Id, None));
        var unknown = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Tokens.RevokeAsync(owner, admin, created.Info.Id + 1000, None));

        Assert.NotNull(revoked.RevokedAt);
        Assert.Null(await fixture.Tokens.ValidateAsync(created.Token, None));
        Assert.Equal((AdminErrorCode.Conflict, "id"), (again.Code, again.Field));
        Assert.Equal((AdminErrorCode.NotFound, "id"), (unknown.Code, unknown.Field));
        var rows = await AuditRows.ReadByTargetAsync(fixture, $"{admin}/{created.Info.Prefix}");
        Assert.Equal(new[] { "apitoken.add", "apitoken.revoke" }, rows.Select(r => r.Action));
        var listed = Assert.Single(await fixture.Tokens.ListAsync(owner, admin, None));
        Assert.False(listed.IsActive(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Validate_WritesLastUsedAtMostOncePerMinute_AndRefusesExpiredOrForeignTokens()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var factory = fixture.Services.GetRequiredService<IDbContextFactory<AdminDbContext>>();
        var tokens = new ApiTokenAdministration(factory, new AuditWriter(time), time);
        var admin = await AddAdminAsync();
        var created = await tokens.CreateAsync(fixture.Superuser, admin, "timed", TimeSpan.FromMinutes(10), None);
        async Task<DateTime?> LastUsedAsync() =>
            await fixture.ScalarAsync<DateTime?>("SELECT last_used_at FROM turnstone_admin_api_token WHERE id = $1", created.Info.Id);

        Assert.NotNull(await tokens.ValidateAsync(created.Token, None));
        var first = await LastUsedAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.NotNull(await tokens.ValidateAsync(created.Token, None));
        Assert.Equal(first, await LastUsedAsync());
        time.Advance(ApiTokenAdministration.LastUsedResolution);
        Assert.NotNull(await tokens.ValidateAsync(created.Token, None));
        Assert.NotEqual(first, await LastUsedAsync());

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await tokens.ValidateAsync(created.Token, None));
        Assert.Null(await tokens.ValidateAsync("not-ours", None));
        Assert.Null(await tokens.ValidateAsync(ApiTokenAdministration.TokenPrefix + "unknown", None));
    }
}
