namespace Admin.Data.Administration;

/// <summary>A row of a per-realm count query.</summary>
internal sealed record RealmCount(string Realm, long Count);
