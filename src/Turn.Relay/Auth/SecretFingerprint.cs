using System.Security.Cryptography;
using System.Text;

namespace Turn.Relay.Auth;

/// <summary>
/// Names a TURN REST shared secret without keeping it: lowercase hex SHA-256 of its UTF-8 bytes, the form the
/// database's change notifications use for a deleted secret, so an administrator can end what it signed.
/// </summary>
internal static class SecretFingerprint
{
    public static string Sha256Hex(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }
}
