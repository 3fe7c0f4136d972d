namespace Admin.Data.Entities;

/// <summary>
/// How many allocations (EVEN-PORT reservations included) one node holds for one (realm, quota user): the shared half of
/// the cluster-wide user quota. Written only by its node; counted by the others while that node's
/// <see cref="ClusterQuotaNode"/> heartbeat is fresh, so a dead node's rows stop counting with its heartbeat's age.
/// </summary>
public sealed class ClusterUserCount
{
    public string Node { get; set; } = "";

    public string Realm { get; set; } = "";

    public string QuotaUser { get; set; } = "";

    public int Allocations { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
