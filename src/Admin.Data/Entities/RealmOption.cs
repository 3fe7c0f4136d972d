namespace Admin.Data.Entities;

/// <summary>coturn's turn_realm_option (realm, opt, value); opt is max-bps, user-quota or total-quota.</summary>
public sealed class RealmOption
{
    public const string MaxBps = "max-bps";
    public const string UserQuota = "user-quota";
    public const string TotalQuota = "total-quota";

    public string Realm { get; set; } = "";

    public string Opt { get; set; } = "";

    public string? Value { get; set; }
}
