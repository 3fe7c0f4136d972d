using Admin.Data.Administration;

namespace Admin.Data.Tests;

public sealed class SecretAdministrationTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public void GenerateValue_Is256BitBase64Url_AndDiffers()
    {
        var values = Enumerable.Range(0, 20).Select(_ => SecretAdministration.GenerateValue()).ToList();

        Assert.All(values, v => Assert.Matches("^[A-Za-z0-9_-]{43}$", v));
        Assert.Equal(values.Count, values.Distinct().Count());
    }

    [Fact]
    public async Task AddListDelete_ByValueAndFingerprint()
    {
        var realm = await fixture.AddRealmAsync();

        var added = await fixture.Secrets.AddAsync(fixture.Superuser, realm, "logen", None);
        var generated = await fixture.Secrets.GenerateAsync(fixture.Superuser, realm, None);
        var listed = await fixture.Secrets.ListAsync(fixture.Superuser, realm, None);
        await fixture.Secrets.DeleteAsync(fixture.Superuser, realm, "logen", None);
        await fixture.Secrets.DeleteAsync(fixture.Superuser, realm, generated.Fingerprint, None);

        Assert.Equal(2, listed.Count);
        Assert.Contains(listed, s => s.Value == "logen" && s.Fingerprint == added.Fingerprint);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turn_secret WHERE realm = $1", realm));
    }

    [Fact]
    public async Task Add_Duplicate_RefusedAndNothingChanged()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Secrets.AddAsync(fixture.Superuser, realm, "north", None);
        var auditBefore = await fixture.AuditCountAsync();

        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Secrets.AddAsync(fixture.Superuser, realm, "north", None));

        Assert.Equal(AdminErrorCode.Duplicate, error.Code);
        Assert.DoesNotContain("north", error.Message);
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM turn_secret WHERE realm = $1", realm));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ctl\u0001")]
    public async Task Add_Invalid_Refused(string value)
    {
        var realm = await fixture.AddRealmAsync();
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Secrets.AddAsync(fixture.Superuser, realm, value, None));
        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public async Task Delete_Unknown_NotFound()
    {
        var realm = await fixture.AddRealmAsync();
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => fixture.Secrets.DeleteAsync(fixture.Superuser, realm, "nope", None));
        Assert.Equal(AdminErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task Audit_NamesSecretByFingerprintOnly()
    {
        var realm = await fixture.AddRealmAsync();
        var generated = await fixture.Secrets.GenerateAsync(fixture.Superuser, realm, None);
        await fixture.Secrets.DeleteAsync(fixture.Superuser, realm, generated.Value, None);

        var rows = await AuditRows.ReadAsync(fixture, realm);

        Assert.Equal(["realm.add", "secret.add", "secret.delete"], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.DoesNotContain(generated.Value, r.All));
        Assert.Equal(generated.Fingerprint, rows[1].Target);
    }
}
