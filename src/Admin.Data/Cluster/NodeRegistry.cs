using Npgsql;
using NpgsqlTypes;

namespace Admin.Data.Cluster;

/// <summary>
/// The node registry in PostgreSQL (<c>turnstone_node</c>): a heartbeat is one round trip that upserts this node's row
/// (heartbeat_at from the database's clock), deletes rows older than the expiry age and reads every row with its
/// heartbeat's age. Raw SQL over the shared data source: the statement is fixed and runs every couple of seconds.
/// </summary>
public sealed class NodeRegistry(NpgsqlDataSource dataSource)
{
    private const string BeatSql = """
        INSERT INTO turnstone_node (name, udp, tcp, tls, internal_url, version, started_at, heartbeat_at, draining, "full",
                                    allocations, bits_per_second_in, bits_per_second_out, certificate_expiry)
        VALUES ($1, $2, $3, $4, $5, $6, $7, clock_timestamp(), $8, $9, $10, $11, $12, $13)
        ON CONFLICT (name) DO UPDATE SET
            udp = excluded.udp, tcp = excluded.tcp, tls = excluded.tls, internal_url = excluded.internal_url,
            version = excluded.version, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,
            draining = excluded.draining, "full" = excluded."full", allocations = excluded.allocations,
            bits_per_second_in = excluded.bits_per_second_in, bits_per_second_out = excluded.bits_per_second_out,
            certificate_expiry = excluded.certificate_expiry;
        """;

    private const string ExpireSql = "DELETE FROM turnstone_node WHERE heartbeat_at < clock_timestamp() - $1";

    private const string ReadSql = """
        SELECT name, udp, tcp, tls, internal_url, version, started_at, heartbeat_at, draining, "full", allocations,
               bits_per_second_in, bits_per_second_out, certificate_expiry, clock_timestamp() - heartbeat_at
        FROM turnstone_node ORDER BY name
        """;

    /// <summary>Writes this node's heartbeat, deletes entries older than <paramref name="expireAfter"/>, and reads the registry.</summary>
    public async Task<IReadOnlyList<NodeRecord>> BeatAsync(NodeHeartbeat beat, TimeSpan expireAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(beat);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var upsert = new NpgsqlBatchCommand(BeatSql);
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.Name });
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.Udp.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.Tcp.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.Tls.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)beat.InternalUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.Version });
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.StartedAt.ToUniversalTime() });
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.Draining });
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.Full });
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.Allocations });
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.BitsPerSecondIn });
        upsert.Parameters.Add(new NpgsqlParameter { Value = beat.BitsPerSecondOut });
        upsert.Parameters.Add(new NpgsqlParameter
        {
            Value = beat.CertificateExpiry is { } expiry ? expiry.ToUniversalTime() : DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.TimestampTz,
        });
        batch.BatchCommands.Add(upsert);
        var expire = new NpgsqlBatchCommand(ExpireSql);
        expire.Parameters.Add(new NpgsqlParameter { Value = expireAfter, NpgsqlDbType = NpgsqlDbType.Interval });
        batch.BatchCommands.Add(expire);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ReadSql));

        var records = new List<NodeRecord>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        // The first two statements return no rows: move on to the SELECT's result.
        while (reader.FieldCount == 0 && await reader.NextResultAsync(cancellationToken)) { }
        while (await reader.ReadAsync(cancellationToken))
        {
            var node = new ClusterNode
            {
                Name = reader.GetString(0),
                UdpAddresses = [.. reader.GetFieldValue<string[]>(1)],
                TcpAddresses = [.. reader.GetFieldValue<string[]>(2)],
                TlsAddresses = [.. reader.GetFieldValue<string[]>(3)],
                InternalUrl = reader.IsDBNull(4) ? null : reader.GetString(4),
                Version = reader.GetString(5),
                StartedAt = reader.GetFieldValue<DateTimeOffset>(6),
                HeartbeatAt = reader.GetFieldValue<DateTimeOffset>(7),
                Draining = reader.GetBoolean(8),
                Full = reader.GetBoolean(9),
                Allocations = reader.GetInt32(10),
                BitsPerSecondIn = reader.GetDouble(11),
                BitsPerSecondOut = reader.GetDouble(12),
                CertificateExpiry = reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
            };
            records.Add(new NodeRecord(node, reader.GetFieldValue<TimeSpan>(14)));
        }
        return records;
    }
}
