namespace Admin.Data.Administration;

/// <summary>What a realm holds that clients need a way in for, and the ways in stored for it (origins, host names).</summary>
public sealed record RealmEntryPointSummary(string Realm, long Users, int Secrets, IReadOnlyList<string> Origins, IReadOnlyList<string> HostNames);
