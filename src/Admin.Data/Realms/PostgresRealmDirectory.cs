using Npgsql;
using Turn.Relay.Seams;

namespace Admin.Data.Realms;

/// <summary>
/// <see cref="IRealmDirectory"/> over PostgreSQL: every lookup answers from an in-memory
/// <see cref="RealmDirectorySnapshot"/>, never from the database (the relay asks before any client has authenticated).
/// <see cref="RealmDirectoryRefresher"/> reloads it every AdminData:RealmDirectoryRefreshInterval and at once after
/// an admin change in this process. When a reload fails the last snapshot stays.
/// </summary>
public sealed class PostgresRealmDirectory(NpgsqlDataSource dataSource, TimeProvider time, string? defaultRealm = null) : IRealmDirectory
{
    // Realm names come from the registry and from every table coturn's tools write realms into; user realms from the
    // per-realm counter table the user triggers keep, never from a scan of turnusers_lt.
    private const string Query = """
        SELECT origin, realm FROM turn_origin_to_realm WHERE realm IS NOT NULL;
        SELECT host_name, realm FROM turnstone_realm_host_name;
        SELECT name FROM turnstone_realm
        UNION SELECT realm FROM turnstone_realm_user_count WHERE users > 0
        UNION SELECT DISTINCT realm FROM turn_secret WHERE realm IS NOT NULL
        UNION SELECT DISTINCT realm FROM turn_realm_option WHERE realm IS NOT NULL;
        """;

    private volatile RealmDirectorySnapshot _snapshot = RealmDirectorySnapshot.Empty;

    /// <summary>The snapshot lookups answer from now.</summary>
    public RealmDirectorySnapshot Snapshot => _snapshot;

    public string? FindRealmByOrigin(string origin)
    {
        var origins = _snapshot.Origins;
        if (origins.Count == 0 || string.IsNullOrEmpty(origin)) return null;
        // coturn compares the canonical form and falls back to the raw text when it cannot parse it.
        var key = OriginSyntax.Canonicalize(origin) ?? origin;
        return origins.TryGetValue(key, out var realm) ? realm : null;
    }

    public string? FindRealmByHostName(string hostName)
    {
        var snapshot = _snapshot;
        if (snapshot.HostNames.Count == 0 || string.IsNullOrEmpty(hostName)) return null;
        var name = hostName.AsSpan();
        if (name[^1] == '.') name = name[..^1];
        return snapshot.HostNameLookup.TryGetValue(name, out var realm) ? realm : null;
    }

    public bool RealmExists(string realm) =>
        !string.IsNullOrEmpty(realm) && (_snapshot.Realms.Contains(realm) || string.Equals(realm, defaultRealm, StringComparison.Ordinal));

    /// <summary>Reads the tables and swaps the snapshot in. Throws (and keeps the old snapshot) when the database cannot answer.</summary>
    public async Task<RealmDirectorySnapshot> ReloadAsync(CancellationToken cancellationToken)
    {
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        var hostNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var realms = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = dataSource.CreateCommand(Query))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var origin = reader.GetString(0);
                origins.TryAdd(OriginSyntax.Canonicalize(origin) ?? origin, reader.GetString(1));
            }
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) hostNames.TryAdd(reader.GetString(0), reader.GetString(1));
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(0)) realms.Add(reader.GetString(0));
            }
        }
        var snapshot = new RealmDirectorySnapshot(origins, hostNames, realms, time.GetUtcNow());
        _snapshot = snapshot;
        return snapshot;
    }
}
