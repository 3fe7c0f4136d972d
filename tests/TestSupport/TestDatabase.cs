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

    /// <summary>
    /// Takes the database away from its clients (new connections refused, open ones ended, except
    /// <paramref name="keep"/>, a connection the test holds to change data "meanwhile") or gives it back.
    /// </summary>
    public async Task SetReachableAsync(bool reachable, NpgsqlConnection? keep = null)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS {(reachable ? "true" : "false")}", connection))
            await alter.ExecuteNonQueryAsync();
        if (reachable) return;
        await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND pid <> $2", connection);
        kill.Parameters.Add(new NpgsqlParameter { Value = Name });
        kill.Parameters.Add(new NpgsqlParameter { Value = keep?.ProcessID ?? 0 });
        await kill.ExecuteNonQueryAsync();
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
