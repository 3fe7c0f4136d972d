using Admin.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turnstone.TestSupport;

namespace Admin.Data.Tests;

public sealed class MigrationTests
{
    private static readonly string[] CoturnTables =
        ["turnusers_lt", "turn_secret", "allowed_peer_ip", "denied_peer_ip", "turn_origin_to_realm", "turn_realm_option", "oauth_key", "admin_user"];

    private static readonly string[] TurnstoneTables =
        ["turnstone_realm", "turnstone_audit_log", "turnstone_admin_api_token", "turnstone_usage_minute", "turnstone_node"];

    [Fact]
    public async Task Migrate_EmptyDatabase_CreatesAllTables_SecondRunAppliesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var services = AdminDataFixture.BuildServices(database.ConnectionString);
        var migrator = services.GetRequiredService<DatabaseMigrator>();

        var first = await migrator.MigrateAsync(CancellationToken.None);
        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.NotEmpty(first);
        Assert.Empty(second);
        Assert.Empty(await migrator.GetPendingMigrationsAsync(CancellationToken.None));
        var tables = await TablesAsync(database.ConnectionString);
        Assert.All(CoturnTables.Concat(TurnstoneTables), t => Assert.Contains(t, tables));
        Assert.Equal("character(128)", await ScalarAsync<string>(database.ConnectionString,
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'turnusers_lt'::regclass AND attname = 'hmackey'"));
    }

    [Fact]
    public async Task IdempotentScript_RunsTwiceOnEmptyDatabase_ThenMigratorHasNothingPending()
    {
        await using var database = await TestDatabase.CreateAsync();
        var script = await File.ReadAllTextAsync(IdempotentScriptPath());

        await ExecuteAsync(database.ConnectionString, script);
        await ExecuteAsync(database.ConnectionString, script);

        await using var services = AdminDataFixture.BuildServices(database.ConnectionString);
        Assert.Empty(await services.GetRequiredService<DatabaseMigrator>().GetPendingMigrationsAsync(CancellationToken.None));
        var tables = await TablesAsync(database.ConnectionString);
        Assert.All(CoturnTables.Concat(TurnstoneTables), t => Assert.Contains(t, tables));
    }

    [Fact]
    public async Task Migrate_ExportedCoturnDatabase_KeepsRowsAndCoturnSqlStillWorks()
    {
        await using var database = await TestDatabase.CreateAsync();
        // coturn's turndb/schema.sql (PostgreSQL flavour) with its sample rows, as turnadmin writes them.
        await ExecuteAsync(database.ConnectionString, """
            CREATE TABLE turnusers_lt (realm varchar(127) default '', name varchar(512), hmackey char(128), PRIMARY KEY (realm,name));
            CREATE TABLE turn_secret (realm varchar(127) default '', value varchar(256), primary key (realm,value));
            CREATE TABLE allowed_peer_ip (realm varchar(127) default '', ip_range varchar(256), primary key (realm,ip_range));
            CREATE TABLE denied_peer_ip (realm varchar(127) default '', ip_range varchar(256), primary key (realm,ip_range));
            CREATE TABLE turn_origin_to_realm (origin varchar(127), realm varchar(127), primary key (origin));
            CREATE TABLE turn_realm_option (realm varchar(127) default '', opt varchar(32), value varchar(128), primary key (realm,opt));
            CREATE TABLE oauth_key (kid varchar(128), ikm_key varchar(256), timestamp bigint default 0, lifetime integer default 0,
                as_rs_alg varchar(64) default '', realm varchar(127), primary key (kid));
            CREATE TABLE admin_user (name varchar(32), realm varchar(127), password varchar(127), primary key (name));
            INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ('north.gov', 'gorst', '7da2270ccfa49786e0115366d3a3d14d');
            INSERT INTO turn_secret (realm, value) VALUES ('crinna.org', 'north');
            INSERT INTO turn_realm_option (realm, opt, value) VALUES ('north.gov', 'user-quota', '10');
            INSERT INTO admin_user (name, realm, password) VALUES ('bayaz', '', '$5$salt$hash');
            """);
        await using var services = AdminDataFixture.BuildServices(database.ConnectionString);

        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);

        Assert.Equal("7da2270ccfa49786e0115366d3a3d14d", await ScalarAsync<string>(database.ConnectionString, "SELECT trim(hmackey) FROM turnusers_lt WHERE name = 'gorst'"));
        Assert.Equal("$5$salt$hash", await ScalarAsync<string>(database.ConnectionString, "SELECT password FROM admin_user WHERE name = 'bayaz'"));
        Assert.Equal(2L, await ScalarAsync<long>(database.ConnectionString, "SELECT count(*) FROM turnstone_realm WHERE name IN ('north.gov', 'crinna.org')"));
        // What coturn's turnadmin itself runs keeps working on the migrated tables.
        await ExecuteAsync(database.ConnectionString,
            "insert into turnusers_lt (realm,name,hmackey) values('north.gov','ninefingers','bc807ee29df3c9ffa736523fb2c4e8ee')");
        Assert.Equal(2L, await ScalarAsync<long>(database.ConnectionString, "select count(*) from turnusers_lt where realm='north.gov' and disabled = false"));
    }

    [Fact]
    public async Task UserHashTrigger_ComputesRfc8489UserHash()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var services = AdminDataFixture.BuildServices(database.ConnectionString);
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);

        await ExecuteAsync(database.ConnectionString, "INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ('north.gov', 'gorst', '7da2270ccfa49786e0115366d3a3d14d')");

        var expected = System.Security.Cryptography.SHA256.HashData("gorst:north.gov"u8);
        Assert.Equal(expected, await ScalarAsync<byte[]>(database.ConnectionString, "SELECT userhash FROM turnusers_lt WHERE name = 'gorst'"));
    }

    [Fact]
    public async Task Model_HasNoChangesMissingFromMigrations_AndScriptCoversEveryMigration()
    {
        await using var services = AdminDataFixture.BuildServices("Host=127.0.0.1;Database=unused");
        await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AdminDbContext>>().CreateDbContextAsync();
        var script = await File.ReadAllTextAsync(IdempotentScriptPath());

        Assert.False(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.HasPendingModelChanges(db.Database),
            "The model changed without a migration: run dotnet ef migrations add (see migrations/Admin.Migrations/README.md).");
        Assert.All(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetMigrations(db.Database),
            id => Assert.Contains($"'{id}'", script));
    }

    internal static string IdempotentScriptPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "migrations", "Admin.Migrations", "idempotent.sql");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("migrations/Admin.Migrations/idempotent.sql not found above " + AppContext.BaseDirectory);
    }

    private static async Task<HashSet<string>> TablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new HashSet<string>();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return tables;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
