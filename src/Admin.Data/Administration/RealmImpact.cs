namespace Admin.Data.Administration;

/// <summary>What deleting a realm removes (for the confirmation dialog, and returned by the delete).</summary>
public sealed record RealmImpact(int Users, int Secrets, int PeerRules, int Origins, int Options, int HostNames = 0);
