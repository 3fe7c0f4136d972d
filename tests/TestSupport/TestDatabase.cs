using Npgsql;

namespace Turnstone.TestSupport;

/// <summary>
/// A fresh, empty PostgreSQL database on the test server that ./test.sh starts, dropped on dispose.
/// Each test class gets its own, so no test depends on what another left behind.
/// The server comes from TURNSTONE_TEST_PG (a connection string with rights to create databases).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "TURNSTONE_TEST_PG";

    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>Connection string to this database.</summary>
    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set. Run the tests through ./test.sh, which starts a throwaway PostgreSQL, " +
                $"or set {ServerVariable} to a connection string of a server where databases may be created.");

    public static async Task<TestDatabase> CreateAsync()
    {
        var server = ServerConnectionString;
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new TestDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
