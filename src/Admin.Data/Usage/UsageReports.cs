using System.Runtime.CompilerServices;
using Admin.Data.Administration;
using Npgsql;
using NpgsqlTypes;

namespace Admin.Data.Usage;

/// <summary>
/// Reads usage history for the Usage page and its CSV export, across all resolutions: recent per-minute rows
/// (summed over nodes) and the hourly and daily rows older minutes were compacted into. A compacted period counts
/// in a range when its start does. A realm admin only ever sees their realm.
/// </summary>
public sealed class UsageReports(NpgsqlDataSource dataSource)
{
    /// <summary>The longest range one query may span (bounds the work a single request can cause).</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(3660);

    // Every resolution, filtered by [from, to) and an optional realm ($1, $2, $3).
    private const string AllRows = """
        (SELECT minute AS at, realm, name, bytes_in, bytes_out, packets_in, packets_out, allocation_seconds
           FROM turnstone_usage_minute WHERE minute >= $1 AND minute < $2 AND ($3::varchar IS NULL OR realm = $3)
         UNION ALL
         SELECT period_start, realm, name, bytes_in, bytes_out, packets_in, packets_out, allocation_seconds
           FROM turnstone_usage_period WHERE period_start >= $1 AND period_start < $2 AND ($3::varchar IS NULL OR realm = $3)) u
        """;

    /// <summary>Users with the most traffic (in + out) in [from, to); realm null = every realm the actor may see.</summary>
    public async Task<IReadOnlyList<UsageTotals>> TopUsersAsync(AdminActor actor, string? realm, DateTimeOffset from, DateTimeOffset to, int take, CancellationToken cancellationToken)
    {
        if (take is < 1 or > 10_000) throw new AdminOperationException(AdminErrorCode.InvalidInput, "Ask for 1 to 10000 users.", "take");
        realm = Scope(actor, realm, from, to);
        await using var command = dataSource.CreateCommand($"""
            SELECT realm, name, sum(bytes_in)::bigint, sum(bytes_out)::bigint, sum(packets_in)::bigint, sum(packets_out)::bigint, sum(allocation_seconds)
            FROM {AllRows}
            GROUP BY realm, name
            ORDER BY sum(bytes_in) + sum(bytes_out) DESC, realm, name
            LIMIT $4
            """);
        AddRange(command, from, to, realm);
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        var result = new List<UsageTotals>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new UsageTotals(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetDouble(6)));
        }
        return result;
    }

    /// <summary>Totals per period of <paramref name="resolution"/> in [from, to), optionally of one user; empty periods omitted.</summary>
    public async Task<IReadOnlyList<UsagePoint>> SeriesAsync(AdminActor actor, string? realm, string? name, DateTimeOffset from, DateTimeOffset to,
        UsageResolution resolution, CancellationToken cancellationToken)
    {
        realm = Scope(actor, realm, from, to);
        await using var command = dataSource.CreateCommand($"""
            SELECT date_trunc('{Field(resolution)}', at, 'UTC') AS period, sum(bytes_in)::bigint, sum(bytes_out)::bigint, sum(allocation_seconds)
            FROM {AllRows}
            WHERE $4::varchar IS NULL OR name = $4
            GROUP BY period
            ORDER BY period
            """);
        AddRange(command, from, to, realm);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        var result = new List<UsagePoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new UsagePoint(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3)));
        }
        return result;
    }

    /// <summary>Every user's usage per period of <paramref name="resolution"/> in [from, to), ordered by period, realm, user.</summary>
    public async IAsyncEnumerable<UsageRow> ExportAsync(AdminActor actor, string? realm, DateTimeOffset from, DateTimeOffset to, UsageResolution resolution,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        realm = Scope(actor, realm, from, to);
        await using var command = dataSource.CreateCommand($"""
            SELECT date_trunc('{Field(resolution)}', at, 'UTC') AS period, realm, name,
                   sum(bytes_in)::bigint, sum(bytes_out)::bigint, sum(packets_in)::bigint, sum(packets_out)::bigint, sum(allocation_seconds)
            FROM {AllRows}
            GROUP BY period, realm, name
            ORDER BY period, realm, name
            """);
        AddRange(command, from, to, realm);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new UsageRow(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), reader.GetString(1), reader.GetString(2),
                reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetDouble(7));
        }
    }

    // The realm the query is limited to (a realm admin's own when none is asked for), after checking access and range.
    internal static string? Scope(AdminActor actor, string? realm, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (to <= from) throw new AdminOperationException(AdminErrorCode.InvalidInput, "The end of the range must be after its start.", "to");
        if (to - from > MaxRange) throw new AdminOperationException(AdminErrorCode.InvalidInput, $"A range may span at most {MaxRange.TotalDays:0} days.", "to");
        if (string.IsNullOrEmpty(realm)) return actor.IsSuperuser ? null : actor.Realm;
        AdminTransaction.EnsureRealmAccess(actor, realm);
        return realm;
    }

    private static void AddRange(NpgsqlCommand command, DateTimeOffset from, DateTimeOffset to, string? realm)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)realm ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
    }

    // A fixed word per enum value: the only text spliced into the SQL.
    private static string Field(UsageResolution resolution) => resolution switch
    {
        UsageResolution.Minute => "minute",
        UsageResolution.Hour => "hour",
        UsageResolution.Day => "day",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution)),
    };
}
