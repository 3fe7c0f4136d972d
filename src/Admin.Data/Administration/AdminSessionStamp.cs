using System.Security.Cryptography;
using System.Text;

namespace Admin.Data.Administration;

/// <summary>
/// A short fingerprint of what a sign-in depends on (the password hash, the realm and the admin's session epoch,
/// which a sign-out bumps), kept in the portal's cookie. It reveals nothing usable about the hash; when it no longer
/// matches, the sign-in ends, so a cookie replayed after its sign-out is refused. Computed here so the hash itself
/// never leaves Admin.Data.
/// </summary>
public static class AdminSessionStamp
{
    public static string Compute(string? passwordHash, string? realm, int sessionEpoch = 0)
    {
        // Epoch 0 leaves the input as before the epoch existed, so cookies issued then stay valid after an upgrade.
        var epoch = sessionEpoch == 0 ? "" : $"\n{sessionEpoch}";
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"turnstone-session\n{passwordHash}\n{realm}{epoch}"));
        return Convert.ToBase64String(digest, 0, 12);
    }
}
