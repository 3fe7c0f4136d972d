namespace Admin.Data.Entities;

/// <summary>A relay process sharing this database, with a heartbeat so the portal can show which are alive.</summary>
public sealed class RelayNode
{
    public string Id { get; set; } = "";

    public string HostName { get; set; } = "";

    public string? Version { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }
}
