using Admin.Data.Administration;
using Admin.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace Admin.Web.Auth;

/// <summary>
/// Admin password hashes: new ones are ASP.NET Core's PBKDF2 format; coturn's "$5$" SHA-256-crypt
/// hashes (written by turnadmin) are accepted and reported as needing a rehash. Admin.Data's account service hashes
/// and checks through it (<see cref="IAdminPasswordHasher"/>).
/// </summary>
public sealed class AdminPasswordHasher : IAdminPasswordHasher
{
    private static readonly AdminUser NoUser = new();

    private readonly PasswordHasher<AdminUser> _hasher = new();

    // Verified when the account does not exist, so a refusal takes as long either way.
    private readonly Lazy<string> _dummyHash;

    public AdminPasswordHasher() => _dummyHash = new Lazy<string>(() => Hash(Guid.NewGuid().ToString("N")));

    public string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return _hasher.HashPassword(NoUser, password);
    }

    public AdminPasswordCheck Verify(string? storedHash, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (string.IsNullOrEmpty(storedHash)) return AdminPasswordCheck.Failed;
        if (Sha256Crypt.IsSha256Crypt(storedHash))
        {
            return Sha256Crypt.Verify(password, storedHash) ? AdminPasswordCheck.SucceededRehashNeeded : AdminPasswordCheck.Failed;
        }
        try
        {
            return _hasher.VerifyHashedPassword(NoUser, storedHash, password) switch
            {
                PasswordVerificationResult.Success => AdminPasswordCheck.Succeeded,
                PasswordVerificationResult.SuccessRehashNeeded => AdminPasswordCheck.SucceededRehashNeeded,
                _ => AdminPasswordCheck.Failed,
            };
        }
        catch (FormatException)
        {
            // A value that is neither format (e.g. a hand-edited row) never matches.
            return AdminPasswordCheck.Failed;
        }
    }

    /// <summary>Spends the time of one verification without an account, against user enumeration by timing.</summary>
    public void VerifyNothing(string password) => _hasher.VerifyHashedPassword(NoUser, _dummyHash.Value, password);
}
