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
/// user) go to <c>turnstone_cluster_user_count</c> when they change (<see cref="ClusterUserCountSync"/> wakes on every
/// change, and writes at most once per ClusterQuota:WriteInterval); the other live nodes' sums are re-read into memory every ClusterQuota:RefreshInterval. An Allocate is
/// answered from memory while it cannot overshoot even if every node did the same at once: its node's count after it,
/// times the live nodes, plus what the others held at the last read, stays within the quota (a node's fair share). Past
/// that, the nodes take turns on the user (an advisory lock in one short transaction), read each other's rows and claim
/// the unit in this node's row before answering, or refuse it. Every unit granted (from memory or by a claim) is a
/// promise until this node's count shows it (or it lapses after <see cref="PromiseHold"/>: its Allocate failed), and this
/// node's row always carries its count plus its promises, so neither a claim nor a grant from memory is written over
/// by a count from before it. A database failure answers the last figure known.
/// </summary>
public sealed partial class ClusterUserCountStore : IClusterUserCounts
{
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a promise (a unit granted, not yet in this node's count) outlasts a request that never allocates
    /// (refused later, or failed): far longer than an Allocate takes from the answer here to its insert in the table.
    /// </summary>
    internal static readonly TimeSpan PromiseHold = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _database;
    private readonly ClusterQuotaOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterUserCountStore> _logger;
    private readonly ConcurrentDictionary<(string Realm, string User), int> _local = new();
    private readonly ConcurrentDictionary<(string Realm, string User), byte> _dirty = new();
    // Units granted per (realm, user) and not yet in this node's count, and until when they hold; under _promiseLock.
    private readonly Dictionary<(string Realm, string User), (int Units, long Until)> _promised = [];
    private readonly Lock _promiseLock = new();
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
        if (cached + (long)(held + 1) * Volatile.Read(ref _liveNodes) <= quota)
        {
            Promise((realm, quotaUser));
            return cached;
        }
        try
        {
            Interlocked.Increment(ref _freshReads);
            return await ReadUserAsync(realm, quotaUser, quota, cancellationToken).ConfigureAwait(false);
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
        // Called under the table's lock, so the counts of one key arrive in order.
        var before = _local.GetValueOrDefault(key);
        _local[key] = count;
        // The allocations promised are in the count now.
        if (count > before) Fulfil(key, count - before);
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

    /// <summary>Writes this node's changed counts (0 deletes the row) and nothing else; false when nothing had changed.</summary>
    internal async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        await _rowWriter.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await FlushUnderWriterAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _rowWriter.Release();
        }
    }

    private async Task<bool> FlushUnderWriterAsync(CancellationToken cancellationToken)
    {
        DropLapsedPromises();
        if (_dirty.IsEmpty) return false;
        var keys = _dirty.Keys.ToList();
        foreach (var key in keys) _dirty.TryRemove(key, out _);
        await using var batch = _database.CreateBatch();
        foreach (var key in keys)
        {
            var count = _local.GetValueOrDefault(key) + PromisedUnits(key);
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
        return true;
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
    // claim one more unit in this node's row (its count, its promises and this one) when the sum allows it. Nodes checking
    // the same user therefore take turns and each sees the others' claims. The answer is binding: the others' sum when
    // claimed (this node's count cannot then pass the claim), the quota itself when refused. The count the engine passed
    // (with every request ahead of this one, granted or not) is not used here: requests still waiting for the lock would
    // count twice, and a refusal on that figure let the engine grant on its own smaller count, unclaimed.
    private async Task<int> ReadUserAsync(string realm, string quotaUser, int quota, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 7142))");
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = realm + "\n" + quotaUser });
            batch.BatchCommands.Add(lockCommand);
            var sums = new NpgsqlBatchCommand("""
                SELECT coalesce(sum(c.allocations), 0)::int
                FROM turnstone_cluster_user_count c JOIN turnstone_cluster_quota_node n ON n.node = c.node
                WHERE c.realm = $1 AND c.quota_user = $2 AND c.node <> $3 AND n.heartbeat_at > now() - $4
                """);
            sums.Parameters.Add(new NpgsqlParameter { Value = realm });
            sums.Parameters.Add(new NpgsqlParameter { Value = quotaUser });
            sums.Parameters.Add(new NpgsqlParameter { Value = Node });
            sums.Parameters.Add(new NpgsqlParameter { Value = _options.NodeDownAfter });
            batch.BatchCommands.Add(sums);
            int others;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                others = reader.GetInt32(0);
            }
            // Holds off this node's flush from the claim's write to its commit (see _rowWriter).
            await _rowWriter.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var key = (realm, quotaUser);
                var claim = _local.GetValueOrDefault(key) + PromisedUnits(key) + 1;
                if (others + claim > quota)
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return quota;
                }
                await ClaimAsync(connection, transaction, realm, quotaUser, claim, cancellationToken).ConfigureAwait(false);
                return others;
            }
            finally
            {
                _rowWriter.Release();
            }
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
        // Until the count shows it or it lapses, this node's writes keep the claimed unit in its row.
        Promise((realm, quotaUser));
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Promise((string, string) key)
    {
        var until = _time.GetTimestamp() + (long)(PromiseHold.TotalSeconds * _time.TimestampFrequency);
        lock (_promiseLock) _promised[key] = (_promised.GetValueOrDefault(key).Units + 1, until);
    }

    private void Fulfil((string, string) key, int units)
    {
        lock (_promiseLock)
        {
            if (!_promised.TryGetValue(key, out var promised)) return;
            if (promised.Units <= units) _promised.Remove(key);
            else _promised[key] = (promised.Units - units, promised.Until);
        }
    }

    private int PromisedUnits((string, string) key)
    {
        lock (_promiseLock) return _promised.GetValueOrDefault(key).Units;
    }

    // A promise whose Allocate never reached the table lapses; its row goes back to the true count at this write.
    private void DropLapsedPromises()
    {
        var now = _time.GetTimestamp();
        lock (_promiseLock)
        {
            if (_promised.Count == 0) return;
            foreach (var (key, promised) in _promised)
            {
                if (now < promised.Until) continue;
                _promised.Remove(key);
                _dirty[key] = 0;
            }
        }
    }

    [LoggerMessage(EventId = 2650, Level = LogLevel.Warning, Message = "Cluster user counts could not be read or written; quotas count the last figures known (at most one such line per 30 s)")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);
}
