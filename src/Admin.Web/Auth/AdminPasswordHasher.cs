using Admin.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace Admin.Web.Auth;

/// <summary>
/// Admin password hashes: new ones are ASP.NET Core's PBKDF2 format; coturn's "$5$" SHA-256-crypt
/// hashes (written by turnadmin) are accepted and reported as needing a rehash.
/// </summary>
public sealed class AdminPasswordHasher
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

    public PasswordVerificationResult Verify(string? storedHash, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (string.IsNullOrEmpty(storedHash)) return PasswordVerificationResult.Failed;
        if (Sha256Crypt.IsSha256Crypt(storedHash))
        {
            return Sha256Crypt.Verify(password, storedHash) ? PasswordVerificationResult.SuccessRehashNeeded : PasswordVerificationResult.Failed;
        }
        try
        {
            return _hasher.VerifyHashedPassword(NoUser, storedHash, password);
        }
        catch (FormatException)
        {
            // A value that is neither format (e.g. a hand-edited row) never matches.
            return PasswordVerificationResult.Failed;
        }
    }

    /// <summary>Spends the time of one verification without an account, against user enumeration by timing.</summary>
    public void VerifyNothing(string password) => _hasher.VerifyHashedPassword(NoUser, _dummyHash.Value, password);
}
