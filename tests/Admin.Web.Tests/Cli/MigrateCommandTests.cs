using Admin.Web.Cli;
using Npgsql;
using Turnstone.TestSupport;

namespace Admin.Web.Tests.Cli;

public sealed class MigrateCommandTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Migrate_EmptyDatabase_CreatesCoturnAndTurnstoneTablesThenIsIdempotent()
    {
        var first = await CliRunner.RunWithDatabaseAsync(_database.ConnectionString, "migrate");

        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.Contains("Applied", first.Out);
        var tables = await TablesAsync();
        foreach (var table in new[] { "turnusers_lt", "turn_secret", "admin_user", "allowed_peer_ip", "denied_peer_ip", "turn_realm_option", "turn_origin_to_realm" })
            Assert.Contains(table, tables);

        var second = await CliRunner.RunWithDatabaseAsync(_database.ConnectionString, "migrate");

        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        Assert.Contains("up to date", second.Out);
    }

    [Fact]
    public async Task DataVerb_UnmigratedDatabase_SaysToMigrateFirst()
    {
        await using var empty = await TestDatabase.CreateAsync();

        var result = await CliRunner.RunWithDatabaseAsync(empty.ConnectionString, "admin", "list");

        Assert.Equal(ExitCodes.DatabaseUnavailable, result.ExitCode);
        Assert.Contains("turnstone migrate", result.Error);
    }

    private async Task<List<string>> TablesAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }
}
