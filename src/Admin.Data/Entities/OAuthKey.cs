namespace Admin.Data.Entities;

/// <summary>
/// coturn's oauth_key, kept so an exported coturn database imports unchanged and coturn's own SQL runs.
/// Turnstone does not use third-party authorization (RFC 7635) yet.
/// </summary>
public sealed class OAuthKey
{
    public string Kid { get; set; } = "";

    public string? IkmKey { get; set; }

    public long? Timestamp { get; set; }

    public int? Lifetime { get; set; }

    public string? AsRsAlg { get; set; }

    public string? Realm { get; set; }
}
