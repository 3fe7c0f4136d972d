namespace Admin.Data.Credentials;

/// <summary>
/// A credential stopped being valid, seen in the database (from the portal, the CLI or raw SQL in any process).
/// <see cref="SecretSha256"/> is the lowercase hex SHA-256 of a deleted secret's UTF-8 value, so a listener can
/// match it against the secret that signed a session without the secret itself travelling.
/// </summary>
public sealed record CredentialRevocation(CredentialRevocationKind Kind, string? Realm, string? UserName, string? SecretSha256);
