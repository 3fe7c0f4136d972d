namespace Admin.Data.Entities;

/// <summary>coturn's turn_origin_to_realm: the realm chosen for a request's ORIGIN.</summary>
public sealed class OriginToRealm
{
    public string Origin { get; set; } = "";

    public string? Realm { get; set; }
}
