using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Data.Common;
using Admin.Data.Usage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Turn.Relay.Seams;

namespace Admin.Data.Quotas;

/// <summary>
/// The cluster-wide user quota on PostgreSQL (<see cref="IClusterUserCounts"/>). This node's counts per (realm, quota
/// user) go to <c>turnstone_cluster_user_count</c> as soon as they change (<see cref="ClusterUserCountSync"/> wakes on
/// every change); the other live nodes' sums are re-read into memory every ClusterQuota:RefreshInterval. An Allocate is
/// answered from memory while it cannot overshoot even if every node did the same at once: its node's count after it,
/// times the live nodes, plus what the others held at the last read, stays within the quota (a node's fair share). Past
/// that, the nodes take turns on the user (an advisory lock in one short transaction), read each other's rows and claim
/// the unit in this node's row before answering. Until this node's count reaches the claim (or the claim lapses after
/// <see cref="ClaimHold"/>), its writes never put a lower figure in its row. A database failure answers the last figure
/// known.
/// </summary>
public sealed partial class ClusterUserCountStore : IClusterUserCounts
{
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a claim written near the quota outlasts a request that never allocates (refused later, or failed): far
    /// longer than an Allocate takes from the read to its insert in the table, which then takes the claim's place.
    /// </summary>
    internal static readonly TimeSpan ClaimHold = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _database;
    private readonly ClusterQuotaOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterUserCountStore> _logger;
    private readonly ConcurrentDictionary<(string Realm, string User), int> _local = new();
    private readonly ConcurrentDictionary<(string Realm, string User), byte> _dirty = new();
    private readonly ConcurrentDictionary<(string Realm, string User), (int Units, long Until)> _claims = new();
    // One writer of this node's rows at a time: a flush that read the count before a claim must not land after it.
    private readonly SemaphoreSlim _rowWriter = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private FrozenDictionary<(string Realm, string User), int> _others = FrozenDictionary<(string, string), int>.Empty;
    private int _liveNodes = 1;
    private long _lastFailureLog = long.MinValue;

    public ClusterUserCountStore(NpgsqlDataSource database, IOptions<ClusterQuotaOptions> options, IOptions<UsageOptions> usage, TimeProvider time,
        ILogger<ClusterUserCountStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(usage);
        _database = database;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Node = usage.Value.EffectiveNode;
    }

    /// <summary>This node's name (Usage:Node), the key of its rows.</summary>
    public string Node { get; }

    /// <summary>Fresh reads done (near a quota), for tests and the measurement.</summary>
    public long FreshReads => Interlocked.Read(ref _freshReads);

    private long _freshReads;

    public async ValueTask<int> CountOnOtherNodesAsync(string realm, string quotaUser, int held, int quota, CancellationToken cancellationToken)
    {
        var cached = _others.GetValueOrDefault((realm, quotaUser));
        // Every live node taking one more at this node's count could not pass the quota: no query.
        if (cached + (long)(held + 1) * Volatile.Read(ref _liveNodes) <= quota) return cached;
        try
        {
            Interlocked.Increment(ref _freshReads);
            return await ReadUserAsync(realm, quotaUser, held, quota, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            LogFailure(e);
            return cached;
        }
    }

    public void LocalCountChanged(string realm, string quotaUser, int count)
    {
        var key = (realm, quotaUser);
        _local[key] = count;
        // The allocation the claim was for is in the count now.
        if (_claims.TryGetValue(key, out var claim) && count >= claim.Units) _claims.TryRemove(new KeyValuePair<(string, string), (int, long)>(key, claim));
        _dirty[key] = 0;
        Wake();
    }

    /// <summary>Wakes the writer (at most one pending wake; a change during a write is picked up by the next).</summary>
    internal void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another change woke it first.
            }
        }
    }

    internal Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    /// <summary>Writes this node's changed counts (0 deletes the row) and nothing else.</summary>
    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _rowWriter.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FlushUnderWriterAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _rowWriter.Release();
        }
    }

    private async Task FlushUnderWriterAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        // A lapsed claim's row goes back to the true count.
        foreach (var (key, claim) in _claims)
        {
            if (now >= claim.Until && _claims.TryRemove(new KeyValuePair<(string, string), (int, long)>(key, claim))) _dirty[key] = 0;
        }
        if (_dirty.IsEmpty) return;
        var keys = _dirty.Keys.ToList();
        foreach (var key in keys) _dirty.TryRemove(key, out _);
        await using var batch = _database.CreateBatch();
        foreach (var key in keys)
        {
            var count = Math.Max(_local.GetValueOrDefault(key), _claims.TryGetValue(key, out var claim) ? claim.Units : 0);
            var command = batch.CreateBatchCommand();
            command.CommandText = count > 0
                ? """
                  INSERT INTO turnstone_cluster_user_count (node, realm, quota_user, allocations, updated_at) VALUES ($1, $2, $3, $4, now())
                  ON CONFLICT (node, realm, quota_user) DO UPDATE SET allocations = EXCLUDED.allocations, updated_at = EXCLUDED.updated_at
                  """
                : "DELETE FROM turnstone_cluster_user_count WHERE node = $1 AND realm = $2 AND quota_user = $3";
            command.Parameters.Add(new NpgsqlParameter { Value = Node });
            command.Parameters.Add(new NpgsqlParameter { Value = key.Realm });
            command.Parameters.Add(new NpgsqlParameter { Value = key.User });
            if (count > 0) command.Parameters.Add(new NpgsqlParameter { Value = count });
            batch.BatchCommands.Add(command);
            if (count == 0) _local.TryRemove(new KeyValuePair<(string, string), int>(key, 0));
        }
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Written next time: the keys go back on the dirty list.
            foreach (var key in keys) _dirty[key] = 0;
            throw;
        }
    }

    /// <summary>The heartbeat, then the other live nodes' sums into memory.</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var batch = _database.CreateBatch();
        var heartbeat = batch.CreateBatchCommand();
        heartbeat.CommandText = """
            INSERT INTO turnstone_cluster_quota_node (node, heartbeat_at) VALUES ($1, now())
            ON CONFLICT (node) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at
            """;
        heartbeat.Parameters.Add(new NpgsqlParameter { Value = Node });
        batch.BatchCommands.Add(heartbeat);
        var nodes = batch.CreateBatchCommand();
        nodes.CommandText = "SELECT count(*)::int FROM turnstone_cluster_quota_node WHERE heartbeat_at > now() - $1";
        nodes.Parameters.Add(new NpgsqlParameter { Value = _options.NodeDownAfter });
        batch.BatchCommands.Add(nodes);
        var sums = batch.CreateBatchCommand();
        sums.CommandText = """
            SELECT c.realm, c.quota_user, sum(c.allocations)::int FROM turnstone_cluster_user_count c
            JOIN turnstone_cluster_quota_node n ON n.node = c.node
            WHERE c.node <> $1 AND n.heartbeat_at > now() - $2
            GROUP BY c.realm, c.quota_user
            """;
        sums.Parameters.Add(new NpgsqlParameter { Value = Node });
        sums.Parameters.Add(new NpgsqlParameter { Value = _options.NodeDownAfter });
        batch.BatchCommands.Add(sums);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var live = Math.Max(1, reader.GetInt32(0));
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var others = new Dictionary<(string, string), int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) others[(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);
        _others = others.ToFrozenDictionary();
        Volatile.Write(ref _liveNodes, live);
    }

    /// <summary>At start and on a clean stop: this node's rows from an earlier run (or this one) go.</summary>
    internal async Task ClearOwnRowsAsync(bool removeHeartbeat, CancellationToken cancellationToken)
    {
        await using var batch = _database.CreateBatch();
        var rows = batch.CreateBatchCommand();
        rows.CommandText = "DELETE FROM turnstone_cluster_user_count WHERE node = $1";
        rows.Parameters.Add(new NpgsqlParameter { Value = Node });
        batch.BatchCommands.Add(rows);
        if (removeHeartbeat)
        {
            var node = batch.CreateBatchCommand();
            node.CommandText = "DELETE FROM turnstone_cluster_quota_node WHERE node = $1";
            node.Parameters.Add(new NpgsqlParameter { Value = Node });
            batch.BatchCommands.Add(node);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal void LogFailure(Exception exception)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastFailureLog);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < FailureLogInterval) return;
        if (Interlocked.CompareExchange(ref _lastFailureLog, now, last) != last) return;
        LogStoreFailed(_logger, exception);
    }

    // Near the quota: under a transaction-scoped advisory lock on the (realm, user), read the other live nodes' rows and
    // this node's own row, and claim one more unit in this node's row when the sum allows it. Nodes checking the same user
    // therefore take turns and each sees the others' claims; claims in flight on this node (own row above held) count too.
    // The claim is corrected to the true count by the next write of this node's counts (the key is marked dirty).
    private async Task<int> ReadUserAsync(string realm, string quotaUser, int held, int quota, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 7142))");
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = realm + "\n" + quotaUser });
            batch.BatchCommands.Add(lockCommand);
            var sums = new NpgsqlBatchCommand("""
                SELECT coalesce(sum(c.allocations) FILTER (WHERE c.node <> $3), 0)::int, coalesce(sum(c.allocations) FILTER (WHERE c.node = $3), 0)::int
                FROM turnstone_cluster_user_count c JOIN turnstone_cluster_quota_node n ON n.node = c.node
                WHERE c.realm = $1 AND c.quota_user = $2 AND (c.node = $3 OR n.heartbeat_at > now() - $4)
                """);
            sums.Parameters.Add(new NpgsqlParameter { Value = realm });
            sums.Parameters.Add(new NpgsqlParameter { Value = quotaUser });
            sums.Parameters.Add(new NpgsqlParameter { Value = Node });
            sums.Parameters.Add(new NpgsqlParameter { Value = _options.NodeDownAfter });
            batch.BatchCommands.Add(sums);
            int others, own;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                others = reader.GetInt32(0);
                own = reader.GetInt32(1);
            }
            // Units claimed on this node by requests not yet in the table count as held elsewhere.
            var inFlight = Math.Max(0, own - held);
            var claim = Math.Max(own, held) + 1;
            if (others + claim <= quota)
            {
                // Holds off this node's flush from the claim's write to its commit (see _rowWriter).
                await _rowWriter.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await ClaimAsync(connection, transaction, realm, quotaUser, claim, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _rowWriter.Release();
                }
            }
            else
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            return others + inFlight;
        }
    }

    private async Task ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string realm, string quotaUser, int claim,
        CancellationToken cancellationToken)
    {
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO turnstone_cluster_user_count (node, realm, quota_user, allocations, updated_at) VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (node, realm, quota_user) DO UPDATE SET allocations = EXCLUDED.allocations, updated_at = EXCLUDED.updated_at
            """, connection, transaction);
        upsert.Parameters.Add(new NpgsqlParameter { Value = Node });
        upsert.Parameters.Add(new NpgsqlParameter { Value = realm });
        upsert.Parameters.Add(new NpgsqlParameter { Value = quotaUser });
        upsert.Parameters.Add(new NpgsqlParameter { Value = claim });
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        // Until the count reaches it or it lapses, this node's writes keep the claim in its row.
        var until = _time.GetTimestamp() + (long)(ClaimHold.TotalSeconds * _time.TimestampFrequency);
        _claims.AddOrUpdate((realm, quotaUser), (claim, until), (_, held) => (Math.Max(held.Units, claim), until));
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2650, Level = LogLevel.Warning, Message = "Cluster user counts could not be read or written; quotas count the last figures known (at most one such line per 30 s)")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);
}
