using System.Security.Cryptography;
using System.Text;
using Admin.Data.Administration;

namespace Admin.Data.Tests;

/// <summary>
/// A stand-in for the host's hasher: "test$" + hex SHA-256, and "legacy$" + the password for a hash that needs
/// replacing. Counts VerifyNothing calls, so tests can see unknown and locked accounts still spend a verification.
/// </summary>
internal sealed class TestPasswordHasher : IAdminPasswordHasher
{
    public const string LegacyPrefix = "legacy$";

    public int NothingVerified { get; private set; }

    public string Hash(string password) => "test$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));

    public AdminPasswordCheck Verify(string? storedHash, string password)
    {
        if (storedHash is null) return AdminPasswordCheck.Failed;
        if (storedHash.StartsWith(LegacyPrefix, StringComparison.Ordinal))
            return storedHash == LegacyPrefix + password ? AdminPasswordCheck.SucceededRehashNeeded : AdminPasswordCheck.Failed;
        return storedHash == Hash(password) ? AdminPasswordCheck.Succeeded : AdminPasswordCheck.Failed;
    }

    public void VerifyNothing(string password) => NothingVerified++;
}
