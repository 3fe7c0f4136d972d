using System.Text.Json;
using Admin.Web.Cli;
using Npgsql;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Cli;

/// <summary>
/// The verbs that match turnadmin's (-g/-G realm options, peer rules, disable/enable, CSV import/export) and the
/// password input rules, against a real PostgreSQL and checked in coturn's tables.
/// </summary>
public sealed class ParityCommandsTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static string NewRealm() => $"p{Guid.NewGuid().ToString("N")[..10]}.example.org";

    private Task<CliResult> Run(params string[] args) => CliRunner.RunWithDatabaseAsync(database.ConnectionString, args);

    private Task<CliResult> RunWithInput(string input, params string[] args) => CliRunner.RunWithDatabaseAndInputAsync(database.ConnectionString, input, args);

    private async Task<string> NewRealmAsync()
    {
        var realm = NewRealm();
        var added = await Run("realm", "add", "--realm", realm);
        Assert.True(added.ExitCode == ExitCodes.Ok, added.ToString());
        return realm;
    }

    [Fact]
    public async Task RealmOptionSet_ThenShow_WritesTurnRealmOption_AndKeepsTheOthers()
    {
        var realm = await NewRealmAsync();

        var set = await Run("realm", "option", "set", "--realm", realm, "--user-quota", "3", "--max-bps", "64000");
        var setTotal = await Run("realm", "option", "set", "--realm", realm, "--total-quota", "30");
        var back = await Run("realm", "option", "set", "--realm", realm, "--max-bps", "default");
        var show = await Run("realm", "option", "show", "--realm", realm);
        var json = await Run("realm", "option", "show", "--realm", realm, "--json");
        var bad = await Run("realm", "option", "set", "--realm", realm, "--user-quota", "many");

        Assert.True(set.ExitCode == ExitCodes.Ok, set.ToString());
        Assert.True(setTotal.ExitCode == ExitCodes.Ok, setTotal.ToString());
        Assert.True(back.ExitCode == ExitCodes.Ok, back.ToString());
        Assert.Equal($"{realm}\tuser-quota=3\ttotal-quota=30\tmax-bps=default", show.Out.Trim());
        Assert.Equal("3", await TextAsync("SELECT value FROM turn_realm_option WHERE realm = @realm AND opt = 'user-quota'", realm));
        Assert.Null(await TextAsync("SELECT value FROM turn_realm_option WHERE realm = @realm AND opt = 'max-bps'", realm));
        var row = JsonDocument.Parse(json.Out).RootElement[0];
        Assert.Equal(3, row.GetProperty("userQuota").GetInt32());
        Assert.Equal(30, row.GetProperty("totalQuota").GetInt32());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("maxBps").ValueKind);
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
    }

    [Fact]
    public async Task PeerAddListRemove_GlobalAndPerRealm()
    {
        var realm = await NewRealmAsync();
        var range = $"198.51.100.{Random.Shared.Next(1, 250)}";

        var global = await Run("peer", "add", "--kind", "deny", "--range", "203.0.113.0/24");
        var perRealm = await Run("peer", "add", "--kind", "allow", "--range", range, "--realm", realm);
        var list = await Run("peer", "list", "--realm", realm);
        var json = await Run("peer", "list", "--realm", realm, "--json");
        var badKind = await Run("peer", "add", "--kind", "maybe", "--range", range);
        var removed = await Run("peer", "remove", "--kind", "allow", "--range", range, "--realm", realm);
        var removedAgain = await Run("peer", "remove", "--kind", "allow", "--range", range, "--realm", realm);
        var globalList = await Run("peer", "list", "--global");

        Assert.True(global.ExitCode is ExitCodes.Ok or ExitCodes.Duplicate, global.ToString());
        Assert.True(perRealm.ExitCode == ExitCodes.Ok, perRealm.ToString());
        Assert.Equal($"{realm}\tallow\t{range}", list.Out.Trim());
        Assert.Equal("allow", JsonDocument.Parse(json.Out).RootElement[0].GetProperty("kind").GetString());
        Assert.Equal(ExitCodes.Usage, badKind.ExitCode);
        Assert.True(removed.ExitCode == ExitCodes.Ok, removed.ToString());
        Assert.Equal(ExitCodes.NotFound, removedAgain.ExitCode);
        Assert.Contains("*\tdeny\t203.0.113.0/24", globalList.Out);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM allowed_peer_ip WHERE realm = @realm", realm));
    }

    [Fact]
    public async Task UserDisableEnableAndShow_ChangeTheDisabledColumn()
    {
        var realm = await NewRealmAsync();
        await RunWithInput("pw-one\n", "user", "add", "--realm", realm, "--user", "gail", "--password-stdin");

        var disable = await Run("user", "disable", "--realm", realm, "--user", "gail");
        var shown = await Run("user", "show", "--realm", realm, "--user", "gail", "--json");
        var listed = await Run("user", "list", "--realm", realm, "--json");
        var disabledInDb = await ScalarAsync("SELECT disabled FROM turnusers_lt WHERE realm = @realm AND name = 'gail'", realm);
        var enable = await Run("user", "enable", "--realm", realm, "--user", "gail");

        Assert.True(disable.ExitCode == ExitCodes.Ok, disable.ToString());
        Assert.True(JsonDocument.Parse(shown.Out).RootElement.GetProperty("disabled").GetBoolean());
        Assert.Equal("gail", JsonDocument.Parse(listed.Out).RootElement[0].GetProperty("name").GetString());
        Assert.Equal(true, disabledInDb);
        Assert.True(enable.ExitCode == ExitCodes.Ok, enable.ToString());
        Assert.Equal(false, await ScalarAsync("SELECT disabled FROM turnusers_lt WHERE realm = @realm AND name = 'gail'", realm));
    }

    [Fact]
    public async Task UserExportThenImport_IntoAnotherRealm_KeepsTheKeysFile()
    {
        var realm = await NewRealmAsync();
        var imported = await RunWithInput("user,password\nhank,hank-pw\nivy,ivy-pw\n", "user", "import", "--realm", realm, "--file", "-");
        var file = Path.Combine(Path.GetTempPath(), $"users-{Guid.NewGuid():N}.csv");
        try
        {
            var exported = await Run("user", "export", "--realm", realm, "--file", file);
            var csv = await File.ReadAllTextAsync(file);
            var target = await NewRealmAsync();
            var reimported = await Run("user", "import", "--realm", target, "--file", file);
            var duplicate = await Run("user", "import", "--realm", target, "--file", file);

            Assert.True(imported.ExitCode == ExitCodes.Ok, imported.ToString());
            Assert.Contains("Imported 2 user(s)", imported.Out);
            Assert.True(exported.ExitCode == ExitCodes.Ok, exported.ToString());
            Assert.StartsWith("user,hmackey\n", csv.ReplaceLineEndings("\n"));
            Assert.Contains($"hank,{LongTermKey.ComputeHex("hank", realm, "hank-pw")}", csv);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.True(reimported.ExitCode == ExitCodes.Ok, reimported.ToString());
            Assert.Equal(2L, await CountAsync("SELECT count(*) FROM turnusers_lt WHERE realm = @realm", target));
            // All or nothing, every bad line listed.
            Assert.Equal(ExitCodes.Usage, duplicate.ExitCode);
            Assert.Contains("line 2 (hank)", duplicate.Error);
            Assert.Contains("line 3 (ivy)", duplicate.Error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task UserImport_Existing_SkipOrUpdate_ReportedPerLine()
    {
        var realm = await NewRealmAsync();
        await RunWithInput("user,password\nhank,old-pw\n", "user", "import", "--realm", realm, "--file", "-");

        var skipped = await RunWithInput("user,password\nhank,new-pw\nivy,ivy-pw\n", "user", "import", "--realm", realm, "--file", "-", "--existing", "skip");
        var updated = await RunWithInput("user,password\nhank,new-pw\n", "user", "import", "--realm", realm, "--file", "-", "--existing", "update");

        Assert.True(skipped.ExitCode == ExitCodes.Ok, skipped.ToString());
        Assert.Contains("line 2 (hank): skipped", skipped.Out);
        Assert.Contains("1 added, 0 updated, 1 skipped", skipped.Out);
        Assert.True(updated.ExitCode == ExitCodes.Ok, updated.ToString());
        Assert.Contains("line 2 (hank): updated", updated.Out);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM turnusers_lt WHERE realm = @realm AND hmackey = '{LongTermKey.ComputeHex("hank", realm, "new-pw")}'", realm));
    }

    [Fact]
    public async Task Passwords_FromStdin_NeverRequiredAsArguments_AndRefusedWithoutEither()
    {
        var realm = await NewRealmAsync();

        var fromStdin = await RunWithInput("stdin-pw\n", "user", "add", "--realm", realm, "--user", "jack", "--password-stdin");
        var passwd = await RunWithInput("newer-pw\n", "user", "passwd", "--realm", realm, "--user", "jack", "--password-stdin");
        // Not a terminal and no password: refused, nothing added.
        var neither = await Run("user", "add", "--realm", realm, "--user", "kim");
        var both = await RunWithInput("x\n", "user", "add", "--realm", realm, "--user", "kim", "--password", "y", "--password-stdin");
        var emptyStdin = await RunWithInput("", "user", "add", "--realm", realm, "--user", "kim", "--password-stdin");
        var key = await CliRunner.RunWithInputAsync("hero\n", "user", "key", "--user", "gorst", "--realm", "north.gov", "--password-stdin");
        var secret = await RunWithInput("piped-shared-secret\n", "secret", "add", "--realm", realm, "--secret-stdin");
        var admin = await RunWithInput("admin-stdin-password\n", "admin", "add", "--user", "op" + Guid.NewGuid().ToString("N")[..8], "--password-stdin");

        Assert.True(fromStdin.ExitCode == ExitCodes.Ok, fromStdin.ToString());
        Assert.True(passwd.ExitCode == ExitCodes.Ok, passwd.ToString());
        Assert.Equal(LongTermKey.ComputeHex("jack", realm, "newer-pw"), await TextAsync("SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = @realm AND name = 'jack'", realm));
        Assert.Equal(ExitCodes.Usage, neither.ExitCode);
        Assert.Contains("--password-stdin", neither.Error);
        Assert.Equal(ExitCodes.Usage, both.ExitCode);
        Assert.Equal(ExitCodes.Usage, emptyStdin.ExitCode);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turnusers_lt WHERE realm = @realm AND name = 'kim'", realm));
        // coturn's documented example: turnadmin -k -u gorst -r north.gov -p hero.
        Assert.Equal("7da2270ccfa49786e0115366d3a3d14d", key.Out.Trim());
        Assert.True(secret.ExitCode == ExitCodes.Ok, secret.ToString());
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM turn_secret WHERE realm = @realm AND value = 'piped-shared-secret'", realm));
        Assert.True(admin.ExitCode == ExitCodes.Ok, admin.ToString());
    }

    [Fact]
    public async Task ListVerbs_WithJson_PrintOneJsonDocument()
    {
        var realm = await NewRealmAsync();
        await Run("realm", "origin", "add", "--realm", realm, "--origin", $"https://{realm}");
        await RunWithInput("s3cret-value\n", "secret", "add", "--realm", realm, "--secret-stdin");

        var realms = await Run("realm", "list", "--json");
        var origins = await Run("realm", "origin", "list", "--realm", realm, "--json");
        var secrets = await Run("secret", "list", "--realm", realm, "--json");
        var admins = await Run("admin", "list", "--json");

        Assert.Contains(JsonDocument.Parse(realms.Out).RootElement.EnumerateArray(), r => r.GetProperty("name").GetString() == realm);
        Assert.Equal($"https://{realm}:443", JsonDocument.Parse(origins.Out).RootElement[0].GetString());
        var secretRow = JsonDocument.Parse(secrets.Out).RootElement[0];
        Assert.Equal(12, secretRow.GetProperty("fingerprint").GetString()!.Length);
        Assert.Equal(JsonValueKind.Null, secretRow.GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(admins.Out).RootElement.ValueKind);
    }

    [Fact]
    public async Task SecretDeleteAll_RemovesEveryOneOfTheRealmsSecrets()
    {
        var realm = await NewRealmAsync();
        await Run("secret", "add", "--realm", realm);
        await Run("secret", "add", "--realm", realm);

        var neither = await Run("secret", "delete", "--realm", realm);
        var all = await Run("secret", "delete", "--realm", realm, "--all");

        Assert.Equal(ExitCodes.Usage, neither.ExitCode);
        Assert.True(all.ExitCode == ExitCodes.Ok, all.ToString());
        Assert.Contains("Deleted 2 secret(s)", all.Out);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turn_secret WHERE realm = @realm", realm));
    }

    [Fact]
    public async Task Version_PrintsBuildInfo()
    {
        var result = await CliRunner.RunAsync("--version");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.StartsWith($"turnstone {BuildInfo.Version}", result.Out.Trim());
        if (BuildInfo.Commit.Length > 0) Assert.Contains(BuildInfo.Commit, result.Out);
    }

    [Fact]
    public async Task LiveVerbs_WithoutAToken_AreRefusedBeforeAnyRequest()
    {
        var previous = Environment.GetEnvironmentVariable(LiveApiClient.TokenVariable);
        Assert.True(string.IsNullOrEmpty(previous), "the test expects TURNSTONE_API_TOKEN unset");

        var noToken = await CliRunner.RunAsync("session", "list", "--server", "http://127.0.0.1:9");
        var badUrl = await CliRunner.RunAsync("relay", "status", "--server", "ftp://x", "--token-file", "/nonexistent");

        Assert.Equal(ExitCodes.Usage, noToken.ExitCode);
        Assert.Contains("--token-file", noToken.Error);
        Assert.Equal(ExitCodes.Usage, badUrl.ExitCode);
    }

    private async Task<long> CountAsync(string sql, string realm) => (long)(await ScalarAsync(sql, realm))!;

    private async Task<string?> TextAsync(string sql, string realm) => await ScalarAsync(sql, realm) as string;

    private async Task<object?> ScalarAsync(string sql, string realm)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("realm", realm);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }
}
