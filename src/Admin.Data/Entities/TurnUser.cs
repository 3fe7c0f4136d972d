namespace Admin.Data.Entities;

/// <summary>
/// A long-term credential user: coturn's turnusers_lt row (realm, name, hmackey) plus Turnstone's
/// metadata columns (disabled, timestamps, USERHASH), which coturn ignores.
/// </summary>
public sealed class TurnUser
{
    public string Realm { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Lowercase hex MD5("name:realm:password"), as coturn writes it. Null only in foreign rows.</summary>
    public string? HmacKey { get; set; }

    /// <summary>A disabled user is refused by the relay but keeps its key.</summary>
    public bool Disabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>SHA-256("name:realm") for RFC 8489 USERHASH; maintained by a database trigger.</summary>
    public byte[]? UserHash { get; set; }

    /// <summary>PostgreSQL xmin, for optimistic concurrency.</summary>
    public uint Version { get; set; }
}
