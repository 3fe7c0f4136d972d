using System.Security.Cryptography;
using System.Text;

namespace Admin.Data.Administration;

/// <summary>
/// A short fingerprint of what a sign-in depends on (the password hash and the realm), kept in the portal's
/// cookie. It reveals nothing usable about the hash; when it no longer matches, the sign-in ends. Computed here so
/// the hash itself never leaves Admin.Data.
/// </summary>
public static class AdminSessionStamp
{
    public static string Compute(string? passwordHash, string? realm)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"turnstone-session\n{passwordHash}\n{realm}"));
        return Convert.ToBase64String(digest, 0, 12);
    }
}
