namespace Turn.Relay.Seams;

/// <summary>
/// Where the engine gets credentials. The engine never sees a password: only the long-term key
/// (MD5 of "user:realm:password", 16 bytes, as coturn's turnusers_lt.hmackey) and the realm's
/// TURN REST shared secrets. Implementations cache; lookups happen per authenticated request,
/// never per relayed packet.
/// </summary>
public interface ICredentialStore
{
    /// <summary>The 16-byte long-term key, or null when the user is unknown or disabled.</summary>
    ValueTask<byte[]?> GetLongTermKeyAsync(string realm, string username, CancellationToken cancellationToken);

    /// <summary>The realm's TURN REST API shared secrets (any may have signed a username); empty when none.</summary>
    ValueTask<IReadOnlyList<string>> GetSharedSecretsAsync(string realm, CancellationToken cancellationToken);
}
