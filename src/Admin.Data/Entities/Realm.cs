namespace Admin.Data.Entities;

/// <summary>Turnstone's realm registry (coturn has none): the realms the portal lists and manages.</summary>
public sealed class Realm
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL xmin, for optimistic concurrency.</summary>
    public uint Version { get; set; }
}
