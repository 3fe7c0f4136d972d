namespace Admin.Data.Import.Coturn;

/// <summary>A long-term user to write: realm, name and the lowercase hex MD5 key (computed from a plain password where coturn had one).</summary>
public sealed record ImportedUser(string Realm, string Name, string HmacKey, string Source);
