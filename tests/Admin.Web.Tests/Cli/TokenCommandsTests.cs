using System.Security.Cryptography;
using System.Text;
using Admin.Web.Cli;
using Npgsql;

namespace Admin.Web.Tests.Cli;

public sealed class TokenCommandsTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task TokenAdd_PrintsTokenOnce_StoresItsHash_ListAndRevoke()
    {
        var admin = "tok" + Guid.NewGuid().ToString("N")[..8];
        await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "admin", "add", "--user", admin, "--password", "token-admin-pw");

        var add = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "token", "add", "--user", admin, "--label", "ci", "--days", "30");
        Assert.True(add.ExitCode == ExitCodes.Ok, add.ToString());
        var token = add.Out.Trim();
        Assert.Matches("^tst_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), await StoredHashAsync(admin));

        var list = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "token", "list", "--user", admin);
        Assert.True(list.ExitCode == ExitCodes.Ok, list.ToString());
        var fields = list.Out.Trim().Split('\t');
        Assert.Equal(token[..12], fields[1]);
        Assert.Equal("ci", fields[2]);
        Assert.Equal("active", fields[^1]);
        Assert.DoesNotContain(token, list.Out);

        var revoke = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "token", "revoke", "--user", admin, "--id", fields[0]);
        Assert.True(revoke.ExitCode == ExitCodes.Ok, revoke.ToString());
        Assert.EndsWith("\trevoked", (await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "token", "list", "--user", admin)).Out.Trim());
        var again = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "token", "revoke", "--user", admin, "--id", fields[0]);
        Assert.NotEqual(ExitCodes.Ok, again.ExitCode);
        Assert.Contains("already revoked", again.Error);
    }

    [Fact]
    public async Task TokenAdd_UnknownAdminOrEmptyLabel_RefusedAndNothingStored()
    {
        var unknown = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "token", "add", "--user", "nobody-here", "--label", "ci");
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Equal("", unknown.Out);

        var admin = "tok" + Guid.NewGuid().ToString("N")[..8];
        await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "admin", "add", "--user", admin, "--password", "token-admin-pw");
        var empty = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "token", "add", "--user", admin, "--label", " ");
        Assert.Equal(ExitCodes.Usage, empty.ExitCode);
        Assert.Null(await StoredHashAsync(admin));
    }

    [Fact]
    public async Task TokenAdd_VendScope_IsStoredAndListed_BadScopeRefused()
    {
        var admin = "tok" + Guid.NewGuid().ToString("N")[..8];
        var realm = "vend" + Guid.NewGuid().ToString("N")[..8] + ".example";
        await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "realm", "add", "--realm", realm);
        await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "admin", "add", "--user", admin, "--password", "token-admin-pw");

        var add = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "token", "add", "--user", admin, "--label", "app", "--scope", "vend", "--realm", realm);
        Assert.True(add.ExitCode == ExitCodes.Ok, add.ToString());
        Assert.Contains("scope vend:" + realm, add.Error, StringComparison.Ordinal);
        var fields = (await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "token", "list", "--user", admin)).Out.Trim().Split('\t');
        Assert.Equal(("vend:" + realm, "active"), (fields[^2], fields[^1]));

        var bad = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "token", "add", "--user", admin, "--label", "x", "--scope", "vend");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Equal("", bad.Out);
    }

    private async Task<byte[]?> StoredHashAsync(string admin)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT token_hash FROM turnstone_admin_api_token WHERE admin_name = @a", connection);
        command.Parameters.AddWithValue("a", admin);
        return (byte[]?)await command.ExecuteScalarAsync();
    }
}
