namespace Turn.Relay.Seams;

/// <summary>
/// Optional: finds the user behind an RFC 8489 USERHASH (SHA-256 of "username:realm"), so clients
/// may hide their user name. When registered (usually by the same class as
/// <see cref="ICredentialStore"/>), the engine announces username anonymity in its nonce cookie.
/// </summary>
public interface IUserHashResolver
{
    /// <summary>The user name whose hash in <paramref name="realm"/> is <paramref name="userHash"/> (32 bytes), or null.</summary>
    ValueTask<string?> FindUserNameByHashAsync(string realm, ReadOnlyMemory<byte> userHash, CancellationToken cancellationToken);
}
