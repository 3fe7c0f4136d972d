using Npgsql;
using Turnstone.TestSupport;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Counts the credential SELECTs (statements reading turnusers_lt) the server ran in its own database.
/// With pg_stat_statements preloaded (scripts/postgres.sh does it for test clusters): its per-statement
/// call counts, exact and visible as soon as each statement ends. Otherwise pg_stat_user_tables' scan counts on
/// turnusers_lt (one scan per lookup, exact too), which a backend publishes up to 10 s late
/// (PostgreSQL's PGSTAT_IDLE_INTERVAL): then every read first waits that out.
/// </summary>
internal sealed class CredentialQueryCounter
{
    /// <summary>How long an idle backend may hold its table statistics before publishing them (PostgreSQL 15: 10 s), plus margin.</summary>
    private static readonly TimeSpan StatisticsFlushDelay = TimeSpan.FromSeconds(11);

    private readonly string _connectionString;

    private CredentialQueryCounter(string connectionString, bool statements)
    {
        _connectionString = connectionString;
        UsesStatementStatistics = statements;
    }

    /// <summary>True: pg_stat_statements; false: pg_stat_user_tables, read after <see cref="StatisticsFlushDelay"/>.</summary>
    public bool UsesStatementStatistics { get; }

    public string Method => UsesStatementStatistics ? "pg_stat_statements calls" : "pg_stat_user_tables scans of turnusers_lt";

    public static async Task<CredentialQueryCounter> CreateAsync(TestDatabase database)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var preload = new NpgsqlCommand("SELECT current_setting('shared_preload_libraries')", connection);
        var statements = ((string?)await preload.ExecuteScalarAsync() ?? "").Contains("pg_stat_statements", StringComparison.Ordinal);
        if (statements)
        {
            await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new CredentialQueryCounter(connectionString, statements);
    }

    /// <summary>The credential SELECTs run so far (a running total: compare two reads).</summary>
    public async Task<long> ReadAsync()
    {
        if (!UsesStatementStatistics) await Task.Delay(StatisticsFlushDelay);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var sql = UsesStatementStatistics
            ? "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
              "AND query ILIKE 'select%' AND query ILIKE '%turnusers_lt%' AND query NOT ILIKE '%pg_stat%'"
            : "SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0)::bigint FROM pg_stat_user_tables WHERE relname = 'turnusers_lt'";
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Server backends connected to the database now (the app's pool, plus the LISTEN connection).</summary>
    public async Task<int> BackendsAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
