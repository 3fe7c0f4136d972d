using System.Runtime.CompilerServices;
using Admin.Data.Administration;
using Npgsql;
using NpgsqlTypes;

namespace Admin.Data.Usage;

/// <summary>
/// Billing-grade usage reports for the Usage page, GET /api/v1/usage and the CSV export: TURN REST credentials grouped
/// by their user part (<see cref="UsageUserPart"/>) with the raw user names on request, per-realm totals, a node
/// filter and a series per resolution. Same row source, range limits and realm scoping as <see cref="UsageReports"/>:
/// a realm admin only ever sees their realm.
/// </summary>
public sealed class UsageBilling(NpgsqlDataSource dataSource)
{
    public const int MaxTake = 10_000;

    /// <summary>Accounts with the most traffic (in + out), ordered by it, then realm and user.</summary>
    public async Task<IReadOnlyList<UsageAccount>> AccountsAsync(AdminActor actor, UsageFilter filter, int take, CancellationToken cancellationToken)
    {
        CheckTake(take);
        await using var command = Command(actor, filter, $"""
            SELECT realm, user_part, count(DISTINCT name)::int, count(DISTINCT name) FILTER (WHERE rest)::int,
                   sum(bytes_in)::bigint, sum(bytes_out)::bigint, sum(packets_in)::bigint, sum(packets_out)::bigint, sum(allocation_seconds)
            FROM {UsageSql.Rows}
            GROUP BY realm, user_part
            ORDER BY sum(bytes_in) + sum(bytes_out) DESC, realm, user_part
            LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        var result = new List<UsageAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new UsageAccount(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetDouble(8)));
        }
        return result;
    }

    /// <summary>Totals per realm (Name null), ordered by realm.</summary>
    public async Task<IReadOnlyList<UsageTotals>> RealmTotalsAsync(AdminActor actor, UsageFilter filter, CancellationToken cancellationToken)
    {
        await using var command = Command(actor, filter, $"""
            SELECT realm, sum(bytes_in)::bigint, sum(bytes_out)::bigint, sum(packets_in)::bigint, sum(packets_out)::bigint, sum(allocation_seconds)
            FROM {UsageSql.Rows}
            GROUP BY realm
            ORDER BY realm
            """);
        var result = new List<UsageTotals>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new UsageTotals(reader.GetString(0), null, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetDouble(5)));
        }
        return result;
    }

    /// <summary>The raw user names (credentials) of one account in <paramref name="realm"/>, most traffic first.</summary>
    public async Task<IReadOnlyList<UsageTotals>> CredentialsAsync(AdminActor actor, UsageFilter filter, string realm, string user, int take,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        CheckTake(take);
        await using var command = Command(actor, filter with { Realm = realm }, $"""
            SELECT realm, name, sum(bytes_in)::bigint, sum(bytes_out)::bigint, sum(packets_in)::bigint, sum(packets_out)::bigint, sum(allocation_seconds)
            FROM {UsageSql.Rows}
            WHERE user_part = $5
            GROUP BY realm, name
            ORDER BY sum(bytes_in) + sum(bytes_out) DESC, name
            LIMIT $6
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = user, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        var result = new List<UsageTotals>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new UsageTotals(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetDouble(6)));
        }
        return result;
    }

    /// <summary>Totals per period of <paramref name="resolution"/>, optionally of one account (user part); empty periods omitted.</summary>
    public async Task<IReadOnlyList<UsagePoint>> SeriesAsync(AdminActor actor, UsageFilter filter, UsageResolution resolution, string? user,
        CancellationToken cancellationToken)
    {
        await using var command = Command(actor, filter, $"""
            SELECT date_trunc('{UsageSql.Field(resolution)}', at, 'UTC') AS period, sum(bytes_in)::bigint, sum(bytes_out)::bigint, sum(allocation_seconds)
            FROM {UsageSql.Rows}
            WHERE $5::text IS NULL OR user_part = $5
            GROUP BY period
            ORDER BY period
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)user ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var result = new List<UsagePoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new UsagePoint(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3)));
        }
        return result;
    }

    /// <summary>Every user name's usage per period, with its user part, ordered by period, realm, user part, user name.</summary>
    public async IAsyncEnumerable<UsageBillingRow> ExportAsync(AdminActor actor, UsageFilter filter, UsageResolution resolution,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Command(actor, filter, $"""
            SELECT date_trunc('{UsageSql.Field(resolution)}', at, 'UTC') AS period, realm, user_part, name,
                   sum(bytes_in)::bigint, sum(bytes_out)::bigint, sum(packets_in)::bigint, sum(packets_out)::bigint, sum(allocation_seconds)
            FROM {UsageSql.Rows}
            GROUP BY period, realm, user_part, name
            ORDER BY period, realm, user_part, name
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new UsageBillingRow(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetDouble(8));
        }
    }

    /// <summary>The nodes that wrote per-minute rows in the range (for the node picker), ordered by name.</summary>
    public async Task<IReadOnlyList<string>> NodesAsync(AdminActor actor, UsageFilter filter, CancellationToken cancellationToken)
    {
        var realm = UsageReports.Scope(actor, filter.Realm, filter.From, filter.To);
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT node FROM turnstone_usage_minute
            WHERE minute >= $1 AND minute < $2 AND ($3::varchar IS NULL OR realm = $3)
            ORDER BY node LIMIT 1000
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = filter.From.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = filter.To.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)realm ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(reader.GetString(0));
        return result;
    }

    // A command over UsageSql.Rows with $1..$4 bound, after checking access and range.
    private NpgsqlCommand Command(AdminActor actor, UsageFilter filter, string sql)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var realm = UsageReports.Scope(actor, filter.Realm, filter.From, filter.To);
        if (filter.Node is { Length: > 64 }) throw new AdminOperationException(AdminErrorCode.InvalidInput, "A node name has at most 64 characters.", "node");
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = filter.From.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = filter.To.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)realm ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter { Value = string.IsNullOrEmpty(filter.Node) ? DBNull.Value : (object)filter.Node, NpgsqlDbType = NpgsqlDbType.Varchar });
        return command;
    }

    private static void CheckTake(int take)
    {
        if (take is < 1 or > MaxTake) throw new AdminOperationException(AdminErrorCode.InvalidInput, $"Ask for 1 to {MaxTake} rows.", "take");
    }
}
