using Npgsql;
using Turn.Protocol;

namespace Admin.Data.Credentials;

/// <summary>
/// Run by <see cref="ChangeListener"/> each time it starts listening again: notifications sent while it was away are
/// lost, so the last-known-good users and secrets are checked against the database in one query each, and those that
/// no longer match (user deleted, disabled or given a new key; a realm's secrets changed) are dropped. Realms'
/// policies are dropped (the next Allocate, CreatePermission or ChannelBind in the realm reads them again). Without
/// this, a revocation made while the relay could not see the database could be served during a later outage.
/// </summary>
internal static class LastKnownRevalidation
{
    public static async Task RunAsync(NpgsqlConnection connection, CredentialCache cache, CancellationToken cancellationToken)
    {
        // A lookup that read the database before this point could store an answer older than a missed revocation
        // after the snapshot below; from here on, reads see the revocation or its notification.
        cache.DiscardLoadsInFlight();
        await RevalidateUsersAsync(connection, cache, cancellationToken);
        await RevalidateSecretsAsync(connection, cache, cancellationToken);
        foreach (var (realm, entry) in cache.LastKnownPolicies()) cache.ForgetLastKnownPolicy(realm, entry);
    }

    private static async Task RevalidateUsersAsync(NpgsqlConnection connection, CredentialCache cache, CancellationToken cancellationToken)
    {
        var kept = cache.LastKnownUsers();
        if (kept.Length == 0) return;
        var current = new Dictionary<(string Realm, string Name), byte[]>();
        await using (var command = new NpgsqlCommand(
            "SELECT u.realm, u.name, u.hmackey FROM unnest($1::text[], $2::text[]) AS k(realm, name) " +
            "JOIN turnusers_lt u ON u.realm = k.realm AND u.name = k.name WHERE NOT u.disabled AND u.hmackey IS NOT NULL", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = kept.Select(k => k.Key.Realm).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = kept.Select(k => k.Key.Name).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (LongTermKey.TryParseHex(reader.GetString(2).TrimEnd(), out var key)) current[(reader.GetString(0), reader.GetString(1))] = key;
            }
        }
        foreach (var (user, entry) in kept)
        {
            if (!current.TryGetValue(user, out var key) || !key.AsSpan().SequenceEqual(entry.Value)) cache.ForgetLastKnownUser(user, entry);
        }
    }

    private static async Task RevalidateSecretsAsync(NpgsqlConnection connection, CredentialCache cache, CancellationToken cancellationToken)
    {
        var kept = cache.LastKnownSecrets();
        if (kept.Length == 0) return;
        var current = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        // Same order as the store reads them, so equal sets compare equal.
        await using (var command = new NpgsqlCommand("SELECT realm, value FROM turn_secret WHERE realm = ANY($1) AND value IS NOT NULL ORDER BY realm, value", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = kept.Select(k => k.Key).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var realm = reader.GetString(0);
                if (!current.TryGetValue(realm, out var values)) current[realm] = values = [];
                values.Add(reader.GetString(1));
            }
        }
        foreach (var (realm, entry) in kept)
        {
            if (!current.TryGetValue(realm, out var values) || !values.SequenceEqual(entry.Value, StringComparer.Ordinal)) cache.ForgetLastKnownSecrets(realm, entry);
        }
    }
}
