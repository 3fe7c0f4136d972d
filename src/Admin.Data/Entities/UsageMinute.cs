namespace Admin.Data.Entities;

/// <summary>
/// Relayed traffic of one user in one minute, written by one relay node. The node is part of the key
/// so several relays sharing the database never overwrite each other's figures.
/// </summary>
public sealed class UsageMinute
{
    /// <summary>Start of the minute (UTC, seconds zero).</summary>
    public DateTimeOffset Minute { get; set; }

    public string Node { get; set; } = "";

    public string Realm { get; set; } = "";

    public string Name { get; set; } = "";

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public long PacketsIn { get; set; }

    public long PacketsOut { get; set; }

    /// <summary>Sum of the seconds each of the user's allocations was alive within the minute.</summary>
    public double AllocationSeconds { get; set; }
}
