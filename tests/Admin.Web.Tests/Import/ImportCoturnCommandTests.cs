using Admin.Web.Cli;
using Admin.Web.Tests.Cli;
using Microsoft.Data.Sqlite;
using Npgsql;
using Turn.Protocol;

namespace Admin.Web.Tests.Import;

/// <summary>
/// <c>turnstone import coturn</c> on files made by coturn's own turnadmin plus a written turnserver.conf, against a real
/// PostgreSQL (a fresh database per test: the import touches global rows such as admins and global peer rules).
/// </summary>
public sealed class ImportCoturnCommandTests : IAsyncLifetime
{
    private const string Realm = "coturn.example.test";

    private readonly MigratedDatabase _database = new();
    private string _directory = "";
    private string _db = "";
    private string _config = "";

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _directory = Directory.CreateTempSubdirectory("turnstone-coturn-import-").FullName;
        _db = await CoturnTools.MakeDatabaseAsync(_directory, Realm);
        // What turnadmin cannot write: peer rules, and a SHA-256 key (coturn's password-algorithm SHA-256).
        await using (var sqlite = new SqliteConnection($"Data Source={_db}"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = $"""
                INSERT INTO allowed_peer_ip VALUES ('{Realm}', '192.0.2.10');
                INSERT INTO denied_peer_ip VALUES ('', '172.16.0.0/12');
                INSERT INTO turnusers_lt VALUES ('{Realm}', 'sha', '{new string('a', 64)}');
                """;
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();
        // turnadmin -k prints the key as 0x<hex> (then its log lines): the form user= lines take.
        var carolKey = (await CoturnTools.TurnAdminAsync("-k", "-u", "carol", "-r", Realm, "-p", "carol-pw")).Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("0x", StringComparison.Ordinal));
        _config = Path.Combine(_directory, "turnserver.conf");
        await File.WriteAllTextAsync(_config, $"""
            # written like a Debian /etc/turnserver.conf
            listening-port=3478
            tls-listening-port=5349
            listening-ip=127.0.0.1
            external-ip=203.0.113.5/10.0.0.5
            min-port=49160
            max-port=49200
            realm={Realm}
            lt-cred-mech
            use-auth-secret
            static-auth-secret=conf-shared-secret
            user=dave:dave-pw
            user=carol:{carolKey}
            user-quota=12
            max-bps=1000000
            denied-peer-ip=10.0.0.0-10.255.255.255
            cert=/etc/ssl/turn_server_cert.pem
            pkey=/etc/ssl/turn_server_pkey.pem
            no-tcp
            cli-password=qwerty
            fingerprint
            """);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<CliResult> Import(params string[] extra) =>
        CliRunner.RunWithDatabaseAsync(_database.ConnectionString, ["import", "coturn", "--config", _config, "--db", _db, .. extra]);

    [Fact]
    public async Task DryRun_ReportsWhatMapsWhere_AndWritesNothing()
    {
        var result = await Import();

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("DRY RUN", result.Out);
        Assert.Contains("+ alice@coturn.example.test", result.Out);
        Assert.Contains("+ carol@coturn.example.test", result.Out);
        Assert.Contains("+ https://app.example.test:443 -> coturn.example.test", result.Out);
        Assert.Contains("+ coturnroot (superuser)", result.Out);
        Assert.Contains("\"ExternalAddress\": \"203.0.113.5\"", result.Out);
        Assert.Contains("\"RelayAddress\": \"10.0.0.5\"", result.Out);
        Assert.Contains("\"TlsCertificatePath\": \"/etc/ssl/turn_server_cert.pem\"", result.Out);
        Assert.Contains("user sha@coturn.example.test", result.Out);
        Assert.Contains("SHA-256 key", result.Out);
        Assert.Contains("no-tcp (turnserver.conf:", result.Out);
        Assert.Contains("cli-password (turnserver.conf:", result.Out);
        Assert.Contains("would be written", result.Out);
        // The secrets appear by fingerprint only.
        Assert.DoesNotContain("db-shared-secret", result.Out);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turnusers_lt"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turnstone_realm"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turnstone_audit_log WHERE action = 'import.coturn'"));
    }

    [Fact]
    public async Task Apply_WritesCoturnsRows_ThenASecondRunIsUnchanged()
    {
        var applied = await Import("--apply");
        var again = await Import("--apply");
        var dryAgain = await Import("--json");

        Assert.True(applied.ExitCode == ExitCodes.Ok, applied.ToString());
        Assert.Contains("APPLIED", applied.Out);
        // turnadmin's own key for alice is what the relay will check: MD5(alice:realm:alice-pw).
        Assert.Equal(LongTermKey.ComputeHex("alice", Realm, "alice-pw"), await TextAsync($"SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = '{Realm}' AND name = 'alice'"));
        Assert.Equal(LongTermKey.ComputeHex("carol", Realm, "carol-pw"), await TextAsync($"SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = '{Realm}' AND name = 'carol'"));
        Assert.Equal(LongTermKey.ComputeHex("dave", Realm, "dave-pw"), await TextAsync($"SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = '{Realm}' AND name = 'dave'"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turnusers_lt WHERE name = 'sha'"));
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM turn_secret WHERE realm = '{Realm}' AND value IN ('db-shared-secret', 'conf-shared-secret')"));
        Assert.Equal("4", await TextAsync($"SELECT value FROM turn_realm_option WHERE realm = '{Realm}' AND opt = 'user-quota'"));
        Assert.Equal("128000", await TextAsync($"SELECT value FROM turn_realm_option WHERE realm = '{Realm}' AND opt = 'max-bps'"));
        Assert.Equal(Realm, await TextAsync("SELECT realm FROM turn_origin_to_realm WHERE origin = 'https://app.example.test:443'"));
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM allowed_peer_ip WHERE realm = '{Realm}' AND ip_range = '192.0.2.10'"));
        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM denied_peer_ip WHERE realm = ''"));
        Assert.StartsWith("$5$", await TextAsync("SELECT password FROM admin_user WHERE name = 'coturnroot' AND realm = ''"));
        Assert.Equal(Realm, await TextAsync("SELECT realm FROM admin_user WHERE name = 'coturnrealm'"));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM turnstone_audit_log WHERE action = 'import.coturn' AND admin LIKE 'cli:%'"));

        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.Contains("Result: unchanged", again.Out);
        Assert.Contains("users          0 to add, 0 to update, 4 unchanged", again.Out);
        // Nothing changed, so no second audit row either.
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM turnstone_audit_log WHERE action = 'import.coturn'"));
        Assert.Contains("\"unchanged\": true", dryAgain.Out);
    }

    [Fact]
    public async Task Apply_FailingMidway_SavesNothing()
    {
        // A database refusal after realms, users and secrets were sent: the insert of the first admin fails.
        await ExecuteAsync("""
            CREATE FUNCTION refuse_import() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test trigger'; END $$;
            CREATE TRIGGER refuse_import BEFORE INSERT ON admin_user FOR EACH ROW EXECUTE FUNCTION refuse_import();
            """);

        var result = await Import("--apply");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("nothing was saved", result.Error);
        Assert.Contains("refused by test trigger", result.Error);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turnstone_realm"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turnusers_lt"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turn_secret"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turn_realm_option"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM denied_peer_ip"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM turnstone_audit_log WHERE action = 'import.coturn'"));
    }

    [Fact]
    public async Task Apply_AfterACoturnSideChange_UpdatesOnlyThatRow()
    {
        await Import("--apply");
        // On the coturn side: bob's password changes (turnadmin -a on an existing user updates the key).
        await CoturnTools.TurnAdminAsync("-a", "-b", _db, "-u", "bob", "-r", Realm, "-p", "bob-new-pw");

        var result = await Import("--apply");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("~ bob@coturn.example.test", result.Out);
        Assert.Contains("users          0 to add, 1 to update, 3 unchanged", result.Out);
        Assert.Equal(LongTermKey.ComputeHex("bob", Realm, "bob-new-pw"), await TextAsync($"SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = '{Realm}' AND name = 'bob'"));
    }

    [Fact]
    public async Task Import_WithoutFiles_OrWithAMissingDatabase_IsAUsageError()
    {
        var none = await CliRunner.RunWithDatabaseAsync(_database.ConnectionString, "import", "coturn");
        var missing = await CliRunner.RunWithDatabaseAsync(_database.ConnectionString, "import", "coturn", "--db", Path.Combine(_directory, "nope.db"));

        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("nope.db", missing.Error);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string sql) => (long)(await ScalarAsync(sql))!;

    private async Task<string?> TextAsync(string sql) => (string?)await ScalarAsync(sql);

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
