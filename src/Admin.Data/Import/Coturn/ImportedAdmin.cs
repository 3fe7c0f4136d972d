namespace Admin.Data.Import.Coturn;

/// <summary>A portal admin to write (admin_user); Realm "" is a superuser, the hash is coturn's "$5$" SHA-256 crypt, which sign-in accepts.</summary>
public sealed record ImportedAdmin(string Name, string Realm, string PasswordHash, string Source);
