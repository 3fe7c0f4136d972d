namespace Admin.Data.Administration;

/// <summary>
/// Hashes and checks portal admins' passwords for <see cref="AdminAccountAdministration"/>. The host supplies it
/// (Admin.Web's <c>AdminPasswordHasher</c>: ASP.NET Core's PBKDF2 format, coturn's "$5$" hashes accepted), so this
/// project stays free of ASP.NET Core while every admin change still runs here.
/// </summary>
public interface IAdminPasswordHasher
{
    /// <summary>A new hash of <paramref name="password"/> in the current format.</summary>
    string Hash(string password);

    /// <summary>Whether <paramref name="password"/> matches <paramref name="storedHash"/> (null or unreadable: never).</summary>
    AdminPasswordCheck Verify(string? storedHash, string password);

    /// <summary>Spends the time of one verification without an account, against user enumeration by timing.</summary>
    void VerifyNothing(string password);
}
