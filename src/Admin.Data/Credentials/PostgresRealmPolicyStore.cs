using Admin.Data.Administration;
using Admin.Data.Entities;
using Npgsql;
using Turn.Relay.Seams;

namespace Admin.Data.Credentials;

/// <summary>
/// The relay's policy seam over coturn's turn_realm_option, allowed_peer_ip and denied_peer_ip (realm "" = global),
/// cached in <see cref="CredentialCache"/> and refreshed within a second of a change. One round trip per miss.
/// While PostgreSQL cannot be reached, the realm's last-known-good policy is used (<see cref="DatabaseOutage"/>).
/// Concurrent misses for one realm share one read.
/// </summary>
public sealed class PostgresRealmPolicyStore(NpgsqlDataSource dataSource, CredentialCache cache, DatabaseOutage outage) : IRealmPolicyStore
{
    private readonly SingleFlight<string, RealmPolicy> _reads = new(StringComparer.Ordinal);

    public async ValueTask<RealmPolicy> GetPolicyAsync(string realm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(realm);
        if (cache.TryGetPolicy(realm, out var cached)) return cached;
        return await _reads.RunAsync(realm, token => outage.ReadAsync("policy", ct => ReadPolicyAsync(realm, ct),
            (out RealmPolicy policy) => cache.TryGetLastKnownPolicy(realm, out policy), token), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<RealmPolicy> ReadPolicyAsync(string realm, CancellationToken cancellationToken)
    {
        var generation = cache.BeginLoad();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("SELECT opt, value FROM turn_realm_option WHERE realm = $1", realm));
        batch.BatchCommands.Add(Command("SELECT ip_range FROM allowed_peer_ip WHERE realm = $1 ORDER BY ip_range", realm));
        batch.BatchCommands.Add(Command("SELECT ip_range FROM denied_peer_ip WHERE realm = $1 ORDER BY ip_range", realm));
        var options = new List<RealmOption>();
        var allowed = new List<string>();
        var denied = new List<string>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                options.Add(new RealmOption { Realm = realm, Opt = reader.GetString(0), Value = reader.IsDBNull(1) ? null : reader.GetString(1) });
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) allowed.Add(reader.GetString(0));
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) denied.Add(reader.GetString(0));
        }
        var limits = RealmOptionValues.ToLimits(options);
        var policy = limits == RealmLimits.None && allowed.Count == 0 && denied.Count == 0
            ? RealmPolicy.Empty
            : new RealmPolicy(limits.UserQuota, limits.TotalQuota, limits.MaxBitsPerSecond, allowed.AsReadOnly(), denied.AsReadOnly());
        cache.StorePolicy(realm, policy, generation);
        return policy;
    }

    private static NpgsqlBatchCommand Command(string sql, string realm)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = realm });
        return command;
    }
}
