namespace Admin.Data.Administration;

/// <summary>
/// A TURN REST API shared secret. <paramref name="Fingerprint"/> (first 12 hex digits of its SHA-256) identifies
/// it in lists, the audit log and revocation events without revealing it.
/// </summary>
public sealed record SecretInfo(string Realm, string Value, string Fingerprint);
