namespace Admin.Data.Administration;

/// <summary>
/// coturn's per-realm options (turn_realm_option): user-quota (concurrent allocations per user), total-quota
/// (allocations in the realm) and max-bps (per allocation, each direction). Null = the server's default.
/// </summary>
public sealed record RealmLimits(int? UserQuota, int? TotalQuota, long? MaxBitsPerSecond)
{
    public static readonly RealmLimits None = new(null, null, null);
}
