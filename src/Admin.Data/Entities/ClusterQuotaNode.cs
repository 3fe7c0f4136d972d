namespace Admin.Data.Entities;

/// <summary>A node publishing <see cref="ClusterUserCount"/> rows, and when it last said it is alive.</summary>
public sealed class ClusterQuotaNode
{
    public string Node { get; set; } = "";

    public DateTimeOffset HeartbeatAt { get; set; }
}
