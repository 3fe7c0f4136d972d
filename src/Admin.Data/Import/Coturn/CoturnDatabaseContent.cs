namespace Admin.Data.Import.Coturn;

/// <summary>
/// The rows of a coturn SQLite user database, table by table, in the column order of coturn's schema:
/// turnusers_lt (realm, name, hmackey), turn_secret (realm, value), turn_realm_option (realm, opt, value),
/// turn_origin_to_realm (origin, realm), allowed_peer_ip / denied_peer_ip (realm, ip_range), admin_user (name, realm, password).
/// <see cref="MissingTables"/> names tables the file lacks (an older coturn, or a hand-made file).
/// </summary>
public sealed record CoturnDatabaseContent(
    IReadOnlyList<CoturnRow> Users,
    IReadOnlyList<CoturnRow> Secrets,
    IReadOnlyList<CoturnRow> RealmOptions,
    IReadOnlyList<CoturnRow> Origins,
    IReadOnlyList<CoturnRow> AllowedPeers,
    IReadOnlyList<CoturnRow> DeniedPeers,
    IReadOnlyList<CoturnRow> Admins,
    IReadOnlyList<CoturnRow> OAuthKeys,
    IReadOnlyList<string> MissingTables);
