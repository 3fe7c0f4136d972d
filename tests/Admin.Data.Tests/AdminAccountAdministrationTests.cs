using Admin.Data.Administration;

namespace Admin.Data.Tests;

/// <summary>
/// Admin accounts through Admin.Data: one transaction and one audit row per change, refusals that leave nothing
/// behind, sign-in bookkeeping (lockout audited once). The tests of a class run one after another, so one of them
/// may empty admin_user to check the last-superuser rule.
/// </summary>
public sealed class AdminAccountAdministrationTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly AdminLockoutPolicy Lockout = new(3, TimeSpan.FromMinutes(5));

    private static string NewName() => "a" + Guid.NewGuid().ToString("N")[..12];

    private Task<long> AdminRowsAsync(string name) => fixture.ScalarAsync<long>("SELECT count(*) FROM admin_user WHERE name = $1", name);

    [Fact]
    public async Task Add_RealmAdmin_StoresTheHostsHash_AndWritesOneAuditRow()
    {
        var realm = await fixture.AddRealmAsync();
        var name = NewName();

        await fixture.Admins.AddAsync(name, "correct horse", realm, fixture.Superuser, None);

        var stored = await fixture.ScalarAsync<string>("SELECT password FROM admin_user WHERE name = $1", name);
        Assert.Equal(new TestPasswordHasher().Hash("correct horse"), stored);
        var row = Assert.Single(await AuditRows.ReadByTargetAsync(fixture, name));
        Assert.Equal(("alice", "admin.add", realm, "192.0.2.7"), (row.Admin, row.Action, row.Realm, row.ClientAddress));
        Assert.Contains(realm, row.Details);
        Assert.DoesNotContain("correct horse", row.All);
        var listed = Assert.Single(await fixture.Admins.ListAsync(fixture.Superuser, None), a => a.Name == name);
        Assert.Equal(realm, listed.Realm);
    }

    [Fact]
    public async Task Add_Refusals_SaveNothing_AndWriteNoAuditRow()
    {
        var name = NewName();
        var realm = await fixture.AddRealmAsync();
        var auditBefore = await fixture.AuditCountAsync();

        var unknownRealm = await Assert.ThrowsAsync<AdminOperationException>(() =>
            fixture.Admins.AddAsync(name, "correct horse", AdminDataFixture.NewRealm(), fixture.Superuser, None));
        var byRealmAdmin = await Assert.ThrowsAsync<AdminOperationException>(() =>
            fixture.Admins.AddAsync(name, "correct horse", realm, AdminActor.RealmAdmin("ra", realm, null), None));
        var shortPassword = await Assert.ThrowsAsync<AdminOperationException>(() =>
            fixture.Admins.AddAsync(name, "short", null, fixture.Superuser, None));
        var badName = await Assert.ThrowsAsync<AdminOperationException>(() =>
            fixture.Admins.AddAsync("has space", "correct horse", null, fixture.Superuser, None));

        Assert.Equal((AdminErrorCode.NotFound, "realm"), (unknownRealm.Code, unknownRealm.Field));
        Assert.Equal(AdminErrorCode.Forbidden, byRealmAdmin.Code);
        Assert.Equal((AdminErrorCode.InvalidInput, "password"), (shortPassword.Code, shortPassword.Field));
        Assert.Equal((AdminErrorCode.InvalidInput, "name"), (badName.Code, badName.Field));
        Assert.Equal(0, await AdminRowsAsync(name));
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
    }

    [Fact]
    public async Task Add_Duplicate_KeepsTheFirst_AndAuditsOnlyTheFirst()
    {
        var name = NewName();
        await fixture.Admins.AddAsync(name, "first password", null, fixture.Superuser, None);

        var duplicate = await Assert.ThrowsAsync<AdminOperationException>(() =>
            fixture.Admins.AddAsync(name, "second password", null, fixture.Superuser, None));

        Assert.Equal((AdminErrorCode.Duplicate, "name", $"Admin '{name}' already exists."), (duplicate.Code, duplicate.Field, duplicate.Message));
        Assert.Single(await AuditRows.ReadByTargetAsync(fixture, name));
        Assert.True((await fixture.Admins.SignInAsync(name, "first password", null, Lockout, None)).Succeeded);
    }

    [Fact]
    public async Task SetPassword_ClearsTheLockout_AndWritesOneAuditRow()
    {
        var name = NewName();
        await fixture.Admins.AddAsync(name, "first password", null, fixture.Superuser, None);
        for (var i = 0; i < Lockout.MaxFailedAttempts; i++) await fixture.Admins.SignInAsync(name, "wrong", null, Lockout, None);
        Assert.Equal(LoginOutcome.LockedOut, (await fixture.Admins.SignInAsync(name, "first password", null, Lockout, None)).Outcome);
        var stampBefore = await fixture.Admins.GetSessionStampAsync(name, None);

        await fixture.Admins.SetPasswordAsync(name, "second password", null, fixture.Superuser, None);

        Assert.True((await fixture.Admins.SignInAsync(name, "second password", null, Lockout, None)).Succeeded);
        Assert.NotEqual(stampBefore, await fixture.Admins.GetSessionStampAsync(name, None));
        Assert.Single(await AuditRows.ReadByTargetAsync(fixture, name), r => r.Action == "admin.passwd");
    }

    [Fact]
    public async Task SetPassword_OwnPassword_RequiresTheCurrentOne()
    {
        var name = NewName();
        await fixture.Admins.AddAsync(name, "first password", null, fixture.Superuser, None);
        var self = AdminActor.Superuser(name, null);

        var missing = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Admins.SetPasswordAsync(name, "second password", null, self, None));
        var wrong = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Admins.SetPasswordAsync(name, "second password", "not it!!", self, None));

        Assert.Equal((AdminErrorCode.InvalidInput, "currentPassword"), (missing.Code, missing.Field));
        Assert.Equal((AdminErrorCode.InvalidInput, "currentPassword"), (wrong.Code, wrong.Field));
        Assert.True((await fixture.Admins.SignInAsync(name, "first password", null, Lockout, None)).Succeeded);
        await fixture.Admins.SetPasswordAsync(name, "second password", "first password", self, None);
        Assert.True((await fixture.Admins.SignInAsync(name, "second password", null, Lockout, None)).Succeeded);
        // Another superuser resetting it needs no current password.
        await fixture.Admins.SetPasswordAsync(name, "third password", null, fixture.Superuser, None);
        Assert.True((await fixture.Admins.SignInAsync(name, "third password", null, Lockout, None)).Succeeded);
    }

    [Fact]
    public async Task EndSessions_ChangesTheStamp_SoEarlierCookiesNoLongerMatch()
    {
        var name = NewName();
        await fixture.Admins.AddAsync(name, "first password", null, fixture.Superuser, None);
        var signedIn = await fixture.Admins.SignInAsync(name, "first password", null, Lockout, None);
        Assert.Equal(signedIn.SessionStamp, await fixture.Admins.GetSessionStampAsync(name, None));

        await fixture.Admins.EndSessionsAsync(name, None);

        Assert.NotEqual(signedIn.SessionStamp, await fixture.Admins.GetSessionStampAsync(name, None));
        var again = await fixture.Admins.SignInAsync(name, "first password", null, Lockout, None);
        Assert.Equal(again.SessionStamp, await fixture.Admins.GetSessionStampAsync(name, None));
    }

    [Fact]
    public async Task LockedAccount_LockoutNotApplying_AdmitsOnlyTheRightPassword()
    {
        var name = NewName();
        await fixture.Admins.AddAsync(name, "correct horse", null, fixture.Superuser, None);
        for (var i = 0; i < Lockout.MaxFailedAttempts; i++) await fixture.Admins.SignInAsync(name, "wrong", "198.51.100.9", Lockout, None);
        Assert.Equal(LoginOutcome.LockedOut, (await fixture.Admins.SignInAsync(name, "correct horse", "198.51.100.9", Lockout, None)).Outcome);

        // From a network without failures of its own (the portal decides): a wrong password is still refused...
        Assert.NotEqual(LoginOutcome.Succeeded, (await fixture.Admins.SignInAsync(name, "wrong", "203.0.113.5", Lockout, None, lockoutApplies: false)).Outcome);
        // ...and the right one gets in, which clears the lockout.
        Assert.True((await fixture.Admins.SignInAsync(name, "correct horse", "203.0.113.5", Lockout, None, lockoutApplies: false)).Succeeded);
        Assert.True((await fixture.Admins.SignInAsync(name, "correct horse", "198.51.100.9", Lockout, None)).Succeeded);
    }

    [Fact]
    public async Task SetPassword_RealmAdmin_MayChangeOnlyTheirOwn()
    {
        var realm = await fixture.AddRealmAsync();
        var own = NewName();
        var other = NewName();
        await fixture.Admins.AddAsync(own, "first password", realm, fixture.Superuser, None);
        await fixture.Admins.AddAsync(other, "first password", realm, fixture.Superuser, None);
        var actor = AdminActor.RealmAdmin(own, realm, null);

        await fixture.Admins.SetPasswordAsync(own, "second password", "first password", actor, None);
        var refused = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Admins.SetPasswordAsync(other, "second password", null, actor, None));

        Assert.Equal(AdminErrorCode.Forbidden, refused.Code);
        Assert.True((await fixture.Admins.SignInAsync(other, "first password", null, Lockout, None)).Succeeded);
        Assert.DoesNotContain(await AuditRows.ReadByTargetAsync(fixture, other), r => r.Action == "admin.passwd");
        Assert.Equal(realm, Assert.Single(await AuditRows.ReadByTargetAsync(fixture, own), r => r.Action == "admin.passwd").Realm);
    }

    [Fact]
    public async Task Delete_RemovesTheAdminAndTheirTokens_WithOneAuditRow()
    {
        var realm = await fixture.AddRealmAsync();
        var name = NewName();
        await fixture.Admins.AddAsync(name, "correct horse", realm, fixture.Superuser, None);
        var token = await fixture.Tokens.CreateAsync(fixture.Superuser, name, "script", null, None);

        await fixture.Admins.DeleteAsync(name, fixture.Superuser, None);

        Assert.Equal(0, await AdminRowsAsync(name));
        Assert.Null(await fixture.Tokens.ValidateAsync(token.Token, None));
        var row = Assert.Single(await AuditRows.ReadByTargetAsync(fixture, name), r => r.Action == "admin.delete");
        Assert.Equal(realm, row.Realm);
        var missing = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Admins.DeleteAsync(name, fixture.Superuser, None));
        Assert.Equal((AdminErrorCode.NotFound, "name"), (missing.Code, missing.Field));
    }

    [Fact]
    public async Task Delete_LastSuperuser_IsRefused_AndNothingChanges()
    {
        await fixture.ExecuteAsync("DELETE FROM admin_user");
        var last = NewName();
        var realm = await fixture.AddRealmAsync();
        await fixture.Admins.AddAsync(last, "correct horse", null, fixture.Superuser, None);
        await fixture.Admins.AddAsync(NewName(), "correct horse", realm, fixture.Superuser, None);
        var auditBefore = await fixture.AuditCountAsync();

        var refused = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Admins.DeleteAsync(last, fixture.Superuser, None));

        Assert.Equal((AdminErrorCode.InvalidInput, "name"), (refused.Code, refused.Field));
        Assert.Equal(1, await AdminRowsAsync(last));
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
        Assert.True(await fixture.Admins.AnyAsync(None));
    }

    [Fact]
    public async Task SignIn_Lockout_IsAuditedOnceBySystem_AndFailuresBeforeItAreNot()
    {
        var name = NewName();
        await fixture.Admins.AddAsync(name, "correct horse", null, fixture.Superuser, None);

        for (var i = 1; i < Lockout.MaxFailedAttempts; i++)
            Assert.Equal(LoginOutcome.Invalid, (await fixture.Admins.SignInAsync(name, "wrong", "198.51.100.9", Lockout, None)).Outcome);
        Assert.DoesNotContain(await AuditRows.ReadByTargetAsync(fixture, name), r => r.Action == "admin.lockout");
        Assert.Equal(LoginOutcome.LockedOut, (await fixture.Admins.SignInAsync(name, "wrong", "198.51.100.9", Lockout, None)).Outcome);
        Assert.Equal(LoginOutcome.LockedOut, (await fixture.Admins.SignInAsync(name, "correct horse", "198.51.100.9", Lockout, None)).Outcome);

        var row = Assert.Single(await AuditRows.ReadByTargetAsync(fixture, name), r => r.Action == "admin.lockout");
        Assert.Equal(("system", null, "198.51.100.9"), (row.Admin, row.Realm, row.ClientAddress));
        Assert.Contains("\"failures\": 3", row.Details);
    }

    [Fact]
    public async Task SignIn_Success_RecordsIt_ReplacesALegacyHash_AndReturnsTheSessionStamp()
    {
        var name = NewName();
        await fixture.ExecuteAsync("INSERT INTO admin_user (name, realm, password) VALUES ($1, '', $2)", name, TestPasswordHasher.LegacyPrefix + "old-style-pw");

        var result = await fixture.Admins.SignInAsync(name, "old-style-pw", null, Lockout, None);

        Assert.True(result.Succeeded);
        Assert.True(result.Admin!.IsSuperuser);
        var stored = await fixture.ScalarAsync<string>("SELECT password FROM admin_user WHERE name = $1", name);
        Assert.Equal(new TestPasswordHasher().Hash("old-style-pw"), stored);
        Assert.Equal(AdminSessionStamp.Compute(stored, ""), result.SessionStamp);
        Assert.Equal(result.SessionStamp, await fixture.Admins.GetSessionStampAsync(name, None));
        Assert.NotNull(await fixture.ScalarAsync<DateTime?>("SELECT last_login_at FROM admin_user WHERE name = $1", name));
        Assert.Empty(await AuditRows.ReadByTargetAsync(fixture, name));
    }

    [Fact]
    public async Task SignIn_UnknownName_SpendsAVerification_AndChangesNothing()
    {
        var hasher = (TestPasswordHasher)fixture.Services.GetService(typeof(IAdminPasswordHasher))!;
        var before = hasher.NothingVerified;
        var auditBefore = await fixture.AuditCountAsync();

        var result = await fixture.Admins.SignInAsync(NewName(), "whatever", null, Lockout, None);

        Assert.Equal(LoginOutcome.Invalid, result.Outcome);
        Assert.Null(result.Admin);
        Assert.Equal(before + 1, hasher.NothingVerified);
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
        Assert.Null(await fixture.Admins.GetSessionStampAsync(NewName(), None));
    }
}
