using Admin.Data.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Admin.Data.Usage;

/// <summary>
/// Keeps usage history small: per-minute rows older than Usage:MinuteRetention become hourly rows, hourly rows
/// older than Usage:HourRetention become daily rows, daily rows older than Usage:DayRetention (when set) are
/// deleted. Each step is one statement (DELETE ... RETURNING feeding an INSERT ... ON CONFLICT that adds), so a
/// figure is moved exactly once even if the process dies midway; an advisory lock keeps nodes sharing the
/// database from compacting at the same time.
/// </summary>
public sealed partial class UsageCompactor(NpgsqlDataSource dataSource, IOptions<UsageOptions> options, ILogger<UsageCompactor> logger)
{
    // Any constant shared by all nodes; pg_advisory_xact_lock holds it until the transaction ends.
    private const long LockKey = 0x7475726e_75736167; // "turnusag"

    /// <summary>Compacts as of <paramref name="now"/>; returns the rows moved or deleted per step.</summary>
    public async Task<UsageCompaction> CompactAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Whole hours and days only, so an hour (day) is never split between the two resolutions by the cut.
        var minuteCut = TruncateToHour(now - settings.MinuteRetention);
        var hourCut = TruncateToDay(now - settings.HourRetention);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = LockKey });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        var minutes = await ExecuteAsync(connection, transaction,
            MoveSql("DELETE FROM turnstone_usage_minute WHERE minute < $1", "minute", UsagePeriod.Hour), minuteCut, cancellationToken);
        var hours = await ExecuteAsync(connection, transaction,
            MoveSql($"DELETE FROM turnstone_usage_period WHERE granularity = '{UsagePeriod.Hour}' AND period_start < $1", "period_start", UsagePeriod.Day), hourCut, cancellationToken);
        long days = 0;
        if (settings.DayRetention > TimeSpan.Zero)
        {
            days = await ExecuteAsync(connection, transaction, """
                WITH gone AS (DELETE FROM turnstone_usage_period WHERE granularity = 'day' AND period_start < $1 RETURNING 1)
                SELECT count(*) FROM gone
                """, TruncateToDay(now - settings.DayRetention), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        var result = new UsageCompaction(minutes, hours, days);
        if (minutes + hours + days > 0) LogCompacted(logger, minutes, hours, days);
        return result;
    }

    // Deletes the rows <paramref name="delete"/> selects and adds their sums per user into the coarser periods, in
    // one statement; returns how many rows moved. Only constants of this class are spliced in.
    private static string MoveSql(string delete, string timeColumn, string granularity) => $"""
        WITH moved AS ({delete}
                       RETURNING {timeColumn} AS at, realm, name, bytes_in, bytes_out, packets_in, packets_out, allocation_seconds),
             added AS (INSERT INTO turnstone_usage_period AS p (granularity, period_start, realm, name, bytes_in, bytes_out, packets_in, packets_out, allocation_seconds)
                       SELECT '{granularity}', date_trunc('{granularity}', at, 'UTC'), realm, name, sum(bytes_in), sum(bytes_out), sum(packets_in), sum(packets_out), sum(allocation_seconds)
                       FROM moved GROUP BY 2, realm, name
                       ON CONFLICT (granularity, period_start, realm, name) DO UPDATE SET
                           bytes_in = p.bytes_in + EXCLUDED.bytes_in, bytes_out = p.bytes_out + EXCLUDED.bytes_out,
                           packets_in = p.packets_in + EXCLUDED.packets_in, packets_out = p.packets_out + EXCLUDED.packets_out,
                           allocation_seconds = p.allocation_seconds + EXCLUDED.allocation_seconds)
        SELECT count(*) FROM moved
        """;

    private static async Task<long> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, DateTimeOffset cut, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = cut.UtcDateTime });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static DateTimeOffset TruncateToHour(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);

    private static DateTimeOffset TruncateToDay(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerDay, TimeSpan.Zero);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information, Message = "Usage compacted: {Minutes} minute rows into hours, {Hours} hour rows into days, {Days} day rows expired")]
    private static partial void LogCompacted(ILogger logger, long minutes, long hours, long days);
}
