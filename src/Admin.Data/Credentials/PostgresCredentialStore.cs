using Npgsql;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Admin.Data.Credentials;

/// <summary>
/// The relay's credential seam over coturn's turnusers_lt and turn_secret, cached in <see cref="CredentialCache"/>
/// (fresh within a second of any change, via <see cref="ChangeListener"/>). Disabled users and keys that are not
/// 32 hex digits answer null. Also resolves RFC 8489 USERHASH (<see cref="IUserHashResolver"/>). Lookups use plain Npgsql commands (no EF) to keep the authenticated-request path short.
/// When PostgreSQL cannot be reached, known users and secrets are answered from their last-known-good values
/// (<see cref="DatabaseOutage"/>); other lookups throw and the engine answers 500. Concurrent misses for one key share
/// one read (<see cref="SingleFlight{TKey, TValue}"/>), so a burst of one unknown name or hash costs one SELECT.
/// </summary>
public sealed class PostgresCredentialStore(NpgsqlDataSource dataSource, CredentialCache cache, DatabaseOutage outage) : ICredentialStore, IUserHashResolver
{
    private readonly SingleFlight<(string Realm, string Name), byte[]?> _userReads = new();
    private readonly SingleFlight<(string Realm, string Hash), string?> _hashReads = new();
    private readonly SingleFlight<string, IReadOnlyList<string>> _secretReads = new(StringComparer.Ordinal);

    public async ValueTask<byte[]?> GetLongTermKeyAsync(string realm, string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(username);
        if (cache.TryGetUser(realm, username, out var cached)) return cached;
        return await _userReads.RunAsync((realm, username), token => outage.ReadAsync("user", ct => ReadLongTermKeyAsync(realm, username, ct),
            (out byte[]? key) => cache.TryGetLastKnownUser(realm, username, out key), token), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<string>> GetSharedSecretsAsync(string realm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(realm);
        if (cache.TryGetSecrets(realm, out var cached)) return cached;
        return await _secretReads.RunAsync(realm, token => outage.ReadAsync("secrets", ct => ReadSharedSecretsAsync(realm, ct),
            (out IReadOnlyList<string> secrets) => cache.TryGetLastKnownSecrets(realm, out secrets), token), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<byte[]?> ReadLongTermKeyAsync(string realm, string username, CancellationToken cancellationToken)
    {
        var generation = cache.BeginLoad();
        await using var command = dataSource.CreateCommand("SELECT hmackey, disabled FROM turnusers_lt WHERE realm = $1 AND name = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = realm });
        command.Parameters.Add(new NpgsqlParameter { Value = username });
        byte[]? key = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0) && !reader.GetBoolean(1)
                && LongTermKey.TryParseHex(reader.GetString(0).TrimEnd(), out var parsed))
            {
                key = parsed;
            }
        }
        cache.StoreUser(realm, username, key, generation);
        return key;
    }

    private async ValueTask<IReadOnlyList<string>> ReadSharedSecretsAsync(string realm, CancellationToken cancellationToken)
    {
        var generation = cache.BeginLoad();
        await using var command = dataSource.CreateCommand("SELECT value FROM turn_secret WHERE realm = $1 ORDER BY value");
        command.Parameters.Add(new NpgsqlParameter { Value = realm });
        var secrets = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(0)) secrets.Add(reader.GetString(0));
            }
        }
        IReadOnlyList<string> result = secrets.AsReadOnly();
        cache.StoreSecrets(realm, result, generation);
        return result;
    }

    /// <summary>
    /// RFC 8489 USERHASH: the user name whose SHA-256("name:realm") is <paramref name="userHash"/> (32 bytes), or null.
    /// Served by the trigger-maintained turnusers_lt.userhash column and its index, and cached both ways (a name, or
    /// "no such hash") like users, dropped by the same notifications. While PostgreSQL cannot be reached, answered from
    /// the last-known-good users, like a lookup by name.
    /// </summary>
    public async ValueTask<string?> FindUserNameByHashAsync(string realm, ReadOnlyMemory<byte> userHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(realm);
        if (userHash.Length != 32) return null;
        if (cache.TryGetUserNameByHash(realm, userHash.Span, out var cached)) return cached;
        var hash = userHash.ToArray(); // the caller's buffer may be reused once it stops waiting
        return await _hashReads.RunAsync((realm, Convert.ToHexStringLower(hash)), token => outage.ReadAsync("userhash", ct => ReadUserNameByHashAsync(realm, hash, ct),
            (out string? name) => cache.TryFindLastKnownUserByHash(realm, hash, out name), token), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<string?> ReadUserNameByHashAsync(string realm, byte[] userHash, CancellationToken cancellationToken)
    {
        var generation = cache.BeginLoad();
        await using var command = dataSource.CreateCommand("SELECT name FROM turnusers_lt WHERE userhash = $1 AND realm = $2 LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter { Value = userHash });
        command.Parameters.Add(new NpgsqlParameter { Value = realm });
        var name = await command.ExecuteScalarAsync(cancellationToken) as string;
        cache.StoreUserNameByHash(realm, userHash, name, generation);
        return name;
    }
}
