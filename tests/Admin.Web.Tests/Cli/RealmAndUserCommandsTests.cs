using Admin.Web.Cli;
using Npgsql;

namespace Admin.Web.Tests.Cli;

/// <summary>The realm, user and secret verbs against a real PostgreSQL, checked in coturn's tables.</summary>
public sealed class RealmAndUserCommandsTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    // Each test makes its own realm: the class shares one database.
    private static string NewRealm() => $"r{Guid.NewGuid().ToString("N")[..10]}.example.org";

    private Task<CliResult> Run(params string[] args) => CliRunner.RunWithDatabaseAsync(database.ConnectionString, args);

    [Fact]
    public async Task RealmAdd_ThenUserAdd_StoresCoturnsHmacKeyFormat()
    {
        var realm = NewRealm();

        var realmAdd = await Run("realm", "add", "--realm", realm, "--description", "test realm");
        var userAdd = await Run("user", "add", "--realm", realm, "--user", "alice", "--password", "s3cret");

        Assert.True(realmAdd.ExitCode == ExitCodes.Ok, realmAdd.ToString());
        Assert.True(userAdd.ExitCode == ExitCodes.Ok, userAdd.ToString());
        var hmacKey = await ScalarAsync<string>("SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = @realm AND name = 'alice'", realm);
        // coturn's format: lowercase hex MD5 of "user:realm:password" (in coturn's char(128) column, hence rtrim),
        // computed here by PostgreSQL itself.
        var expected = await ScalarAsync<string>("SELECT md5('alice:' || @realm || ':s3cret')", realm);
        Assert.Equal(expected, hmacKey);
        Assert.Matches("^[0-9a-f]{32}$", hmacKey);
    }

    [Fact]
    public async Task RealmAdd_Duplicate_FailsAndChangesNothing()
    {
        var realm = NewRealm();
        await Run("realm", "add", "--realm", realm, "--description", "first");

        var second = await Run("realm", "add", "--realm", realm, "--description", "second");

        Assert.Equal(ExitCodes.Duplicate, second.ExitCode);
        Assert.Contains(realm, second.Error);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM turnstone_realm WHERE name = @realm", realm));
        Assert.Equal("first", await ScalarAsync<string>("SELECT description FROM turnstone_realm WHERE name = @realm", realm));
    }

    [Fact]
    public async Task UserAdd_Duplicate_FailsAndKeepsTheFirstKey()
    {
        var realm = NewRealm();
        await Run("realm", "add", "--realm", realm);
        await Run("user", "add", "--realm", realm, "--user", "bob", "--password", "first");
        var keyBefore = await ScalarAsync<string>("SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = @realm AND name = 'bob'", realm);

        var second = await Run("user", "add", "--realm", realm, "--user", "bob", "--password", "second");

        Assert.Equal(ExitCodes.Duplicate, second.ExitCode);
        Assert.Single(second.Error.Trim().Split('\n'));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = @realm AND name = 'bob'", realm));
        Assert.Equal(keyBefore, await ScalarAsync<string>("SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = @realm AND name = 'bob'", realm));
    }

    [Fact]
    public async Task UserAdd_UnknownRealm_FailsAndAddsNothing()
    {
        var realm = NewRealm();

        var result = await Run("user", "add", "--realm", realm, "--user", "carol", "--password", "pw");

        Assert.NotEqual(ExitCodes.Ok, result.ExitCode);
        Assert.Contains(realm, result.Error);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = @realm", realm));
    }

    [Fact]
    public async Task UserAdd_NameWithColon_IsInvalidInput()
    {
        var realm = NewRealm();
        await Run("realm", "add", "--realm", realm);

        var result = await Run("user", "add", "--realm", realm, "--user", "a:b", "--password", "pw");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = @realm", realm));
    }

    [Fact]
    public async Task UserPasswdListDelete_WorkOnTheStoredRow()
    {
        var realm = NewRealm();
        await Run("realm", "add", "--realm", realm);
        await Run("user", "add", "--realm", realm, "--user", "dave", "--password", "old");
        await Run("user", "add", "--realm", realm, "--user", "erin", "--password", "pw");

        var passwd = await Run("user", "passwd", "--realm", realm, "--user", "dave", "--password", "new");
        var list = await Run("user", "list", "--realm", realm);
        var delete = await Run("user", "delete", "--realm", realm, "--user", "erin");

        Assert.True(passwd.ExitCode == ExitCodes.Ok, passwd.ToString());
        Assert.Equal(
            await ScalarAsync<string>("SELECT md5('dave:' || @realm || ':new')", realm),
            await ScalarAsync<string>("SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = @realm AND name = 'dave'", realm));
        Assert.Equal(["dave", "erin"], list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.True(delete.ExitCode == ExitCodes.Ok, delete.ToString());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = @realm AND name = 'erin'", realm));
    }

    [Fact]
    public async Task SecretAddListDelete_StoresInTurnSecret()
    {
        var realm = NewRealm();
        await Run("realm", "add", "--realm", realm);

        var added = await Run("secret", "add", "--realm", realm, "--secret", "rest-api-shared-secret-1");
        var generated = await Run("secret", "add", "--realm", realm);
        var list = await Run("secret", "list", "--realm", realm, "--show-values");
        var duplicate = await Run("secret", "add", "--realm", realm, "--secret", "rest-api-shared-secret-1");
        var delete = await Run("secret", "delete", "--realm", realm, "--secret", "rest-api-shared-secret-1");

        Assert.True(added.ExitCode == ExitCodes.Ok, added.ToString());
        Assert.True(generated.ExitCode == ExitCodes.Ok, generated.ToString());
        var generatedValue = generated.Out.Trim();
        Assert.True(generatedValue.Length >= 32, generatedValue);
        Assert.Contains("rest-api-shared-secret-1", list.Out);
        Assert.Contains(generatedValue, list.Out);
        Assert.Equal(ExitCodes.Duplicate, duplicate.ExitCode);
        Assert.True(delete.ExitCode == ExitCodes.Ok, delete.ToString());
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM turn_secret WHERE realm = @realm", realm));
    }

    [Fact]
    public async Task RealmListAndDelete_DeleteRemovesItsUsers()
    {
        var realm = NewRealm();
        await Run("realm", "add", "--realm", realm);
        await Run("user", "add", "--realm", realm, "--user", "frank", "--password", "pw");

        var list = await Run("realm", "list");
        var delete = await Run("realm", "delete", "--realm", realm);
        var deleteAgain = await Run("realm", "delete", "--realm", realm);

        Assert.Contains(realm, list.Out);
        Assert.True(delete.ExitCode == ExitCodes.Ok, delete.ToString());
        Assert.Contains("1 user(s)", delete.Out);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = @realm", realm));
        Assert.Equal(ExitCodes.NotFound, deleteAgain.ExitCode);
    }

    private async Task<T> ScalarAsync<T>(string sql, string realm)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("realm", realm);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
