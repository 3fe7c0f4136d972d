using System.Text.RegularExpressions;
using Admin.Data.Administration;

namespace Admin.Data.Tests;

public sealed class UserAdministrationTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Add_CoturnSample_StoresCoturnsKeyFormat()
    {
        await fixture.Realms.AddAsync(fixture.Superuser, "north.gov", null, None);

        await fixture.Users.AddAsync(fixture.Superuser, "north.gov", "gorst", "hero", None);

        var stored = await fixture.ScalarAsync<string>("SELECT hmackey::text FROM turnusers_lt WHERE realm = 'north.gov' AND name = 'gorst'");
        Assert.Equal("7da2270ccfa49786e0115366d3a3d14d", stored);
        Assert.Matches(new Regex("^[0-9a-f]{32}$"), stored);
        Assert.Equal("7da2270ccfa49786e0115366d3a3d14d", await fixture.Users.GetKeyAsync(fixture.Superuser, "north.gov", "gorst", None));
    }

    [Fact]
    public async Task Add_Duplicate_RefusedAndNothingChanged()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "bob", "first", None);
        var keyBefore = await fixture.Users.GetKeyAsync(fixture.Superuser, realm, "bob", None);
        var auditBefore = await fixture.AuditCountAsync();

        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Users.AddAsync(fixture.Superuser, realm, "bob", "second", None));

        Assert.Equal(AdminErrorCode.Duplicate, error.Code);
        Assert.Contains("bob", error.Message);
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
        Assert.Equal(keyBefore, await fixture.ScalarAsync<string>("SELECT trim(hmackey) FROM turnusers_lt WHERE realm = $1 AND name = 'bob'", realm));
    }

    [Theory]
    [InlineData("a:b", "pw", "name")]
    [InlineData("", "pw", "name")]
    [InlineData("tab\there", "pw", "name")]
    [InlineData(" lead", "pw", "name")]
    [InlineData("carol", "", "password")]
    public async Task Add_InvalidInput_RefusedWithFieldAndNothingWritten(string name, string password, string field)
    {
        var realm = await fixture.AddRealmAsync();

        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Users.AddAsync(fixture.Superuser, realm, name, password, None));

        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
        Assert.Equal(field, error.Field);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = $1", realm));
    }

    [Fact]
    public async Task Add_TooLongName_Refused()
    {
        var realm = await fixture.AddRealmAsync();
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Users.AddAsync(fixture.Superuser, realm, new string('x', 513), "pw", None));
        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public async Task Add_UnknownRealm_NotFound()
    {
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Users.AddAsync(fixture.Superuser, AdminDataFixture.NewRealm(), "dave", "pw", None));
        Assert.Equal(AdminErrorCode.NotFound, error.Code);
        Assert.Equal("realm", error.Field);
    }

    [Fact]
    public async Task AddWithKey_UppercaseHex_StoredLowercase()
    {
        var realm = await fixture.AddRealmAsync();

        await fixture.Users.AddWithKeyAsync(fixture.Superuser, realm, "erin", "7DA2270CCFA49786E0115366D3A3D14D", None);

        Assert.Equal("7da2270ccfa49786e0115366d3a3d14d", await fixture.ScalarAsync<string>("SELECT trim(hmackey) FROM turnusers_lt WHERE realm = $1", realm));
    }

    [Theory]
    [InlineData("7da2270ccfa49786e0115366d3a3d14")]
    [InlineData("zz a2270ccfa49786e0115366d3a3d14d")]
    [InlineData("0x7da2270ccfa49786e0115366d3a3d1")]
    public async Task AddWithKey_MalformedKey_Refused(string key)
    {
        var realm = await fixture.AddRealmAsync();
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Users.AddWithKeyAsync(fixture.Superuser, realm, "erin", key, None));
        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
        Assert.Equal("hmacKey", error.Field);
    }

    [Fact]
    public async Task List_PrefixSearchCaseInsensitive_PagedInNameOrder()
    {
        var realm = await fixture.AddRealmAsync();
        foreach (var name in new[] { "Anna", "anton", "bert", "andy", "an_dy", "an%x" })
            await fixture.Users.AddAsync(fixture.Superuser, realm, name, "pw", None);

        var page1 = await fixture.Users.ListAsync(fixture.Superuser, realm, "AN", 0, 2, None);
        var page2 = await fixture.Users.ListAsync(fixture.Superuser, realm, "AN", 2, 2, None);
        var wildcard = await fixture.Users.ListAsync(fixture.Superuser, realm, "an_", 0, 10, None);
        var percent = await fixture.Users.ListAsync(fixture.Superuser, realm, "an%", 0, 10, None);
        var all = await fixture.Users.ListAsync(fixture.Superuser, realm, null, 0, 10, None);

        Assert.Equal(5, page1.TotalCount);
        // Case-insensitive order, by code point: '%' (0x25) < '_' (0x5F) < 'd' < 'n'.
        Assert.Equal(["an%x", "an_dy"], page1.Items.Select(u => u.Name));
        Assert.Equal(["andy", "Anna"], page2.Items.Select(u => u.Name));
        Assert.Equal(["an_dy"], wildcard.Items.Select(u => u.Name));
        Assert.Equal(["an%x"], percent.Items.Select(u => u.Name));
        Assert.Equal(6, all.TotalCount);
    }

    [Fact]
    public async Task List_EveryPageBothWays_IsTheSliceOfTheWholeOrder()
    {
        // Pages past the middle are read from the other end of the index and reversed; they must be the same rows.
        var realm = await fixture.AddRealmAsync();
        var names = Enumerable.Range(0, 11).Select(i => $"u{i:D2}").ToList();
        foreach (var name in names) await fixture.Users.AddWithKeyAsync(fixture.Superuser, realm, name, "0123456789abcdef0123456789abcdef", None);

        foreach (var descending in new[] { false, true })
        {
            var expected = descending ? names.AsEnumerable().Reverse().ToList() : names;
            for (var skip = 0; skip <= 12; skip++)
            {
                var page = await fixture.Users.ListAsync(fixture.Superuser, realm, null, skip, 3, None, descending);
                Assert.Equal(11, page.TotalCount);
                Assert.Equal(expected.Skip(skip).Take(3), page.Items.Select(u => u.Name));
            }
        }
    }

    [Fact]
    public async Task List_BadPaging_Refused()
    {
        var realm = await fixture.AddRealmAsync();
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Users.ListAsync(fixture.Superuser, realm, null, 0, 0, None));
        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public async Task ChangePassword_NewKeyStored_StaleVersionConflicts()
    {
        var realm = await fixture.AddRealmAsync();
        var added = await fixture.Users.AddAsync(fixture.Superuser, realm, "frank", "old", None);

        var changed = await fixture.Users.ChangePasswordAsync(fixture.Superuser, realm, "frank", "new", added.Version, None);
        var stale = await Assert.ThrowsAsync<AdminOperationException>(
            () => fixture.Users.ChangePasswordAsync(fixture.Superuser, realm, "frank", "newer", added.Version, None));

        Assert.NotEqual(added.Version, changed.Version);
        Assert.Equal(AdminErrorCode.Conflict, stale.Code);
        Assert.Equal(Turn.Protocol.LongTermKey.ComputeHex("frank", realm, "new"), await fixture.Users.GetKeyAsync(fixture.Superuser, realm, "frank", None));
    }

    [Fact]
    public async Task SetDisabled_TogglesFlag()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "gina", "pw", None);

        var disabled = await fixture.Users.SetDisabledAsync(fixture.Superuser, realm, "gina", true, null, None);
        Assert.True(disabled.Disabled);
        Assert.True(await fixture.ScalarAsync<bool>("SELECT disabled FROM turnusers_lt WHERE realm = $1 AND name = 'gina'", realm));

        var enabled = await fixture.Users.SetDisabledAsync(fixture.Superuser, realm, "gina", false, disabled.Version, None);
        Assert.False(enabled.Disabled);
    }

    [Fact]
    public async Task Delete_RemovesRow_SecondDeleteNotFound()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "hank", "pw", None);

        await fixture.Users.DeleteAsync(fixture.Superuser, realm, "hank", None);
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Users.DeleteAsync(fixture.Superuser, realm, "hank", None));

        Assert.Equal(AdminErrorCode.NotFound, error.Code);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = $1", realm));
    }

    [Fact]
    public async Task RealmAdmin_OtherRealm_Forbidden()
    {
        var own = await fixture.AddRealmAsync();
        var other = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, other, "ivan", "pw", None);
        var realmAdmin = AdminActor.RealmAdmin("skarling", own, "192.0.2.9");

        await fixture.Users.AddAsync(realmAdmin, own, "judy", "pw", None);
        var list = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Users.ListAsync(realmAdmin, other, null, 0, 10, None));
        var key = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Users.GetKeyAsync(realmAdmin, other, "ivan", None));
        var delete = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Users.DeleteAsync(realmAdmin, other, "ivan", None));

        Assert.All(new[] { list, key, delete }, e => Assert.Equal(AdminErrorCode.Forbidden, e.Code));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = $1", other));
    }

    [Fact]
    public async Task EveryOperation_WritesAuditRowWithoutSecrets()
    {
        var realm = await fixture.AddRealmAsync();
        const string password = "Sup3rSecretPassword";
        const string newPassword = "An0therSecretPassword";
        var key = Turn.Protocol.LongTermKey.ComputeHex("kate", realm, password);

        await fixture.Users.AddAsync(fixture.Superuser, realm, "kate", password, None);
        await fixture.Users.ChangePasswordAsync(fixture.Superuser, realm, "kate", newPassword, null, None);
        await fixture.Users.SetDisabledAsync(fixture.Superuser, realm, "kate", true, null, None);
        await fixture.Users.SetDisabledAsync(fixture.Superuser, realm, "kate", false, null, None);
        await fixture.Users.GetKeyAsync(fixture.Superuser, realm, "kate", None);
        await fixture.Users.AddWithKeyAsync(fixture.Superuser, realm, "liam", key, None);
        await fixture.Users.DeleteAsync(fixture.Superuser, realm, "kate", None);

        var rows = await AuditRows.ReadAsync(fixture, realm);
        Assert.Equal(["realm.add", "user.add", "user.passwd", "user.disable", "user.enable", "user.key.view", "user.add", "user.delete"], rows.Select(r => r.Action));
        Assert.All(rows, r =>
        {
            Assert.Equal("alice", r.Admin);
            Assert.Equal("192.0.2.7", r.ClientAddress);
            Assert.DoesNotContain(password, r.All);
            Assert.DoesNotContain(newPassword, r.All);
            Assert.DoesNotContain(key, r.All);
            Assert.DoesNotContain(Turn.Protocol.LongTermKey.ComputeHex("kate", realm, newPassword), r.All);
        });
        Assert.Equal("kate", rows[1].Target);
    }
}
