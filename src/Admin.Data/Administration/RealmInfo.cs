namespace Admin.Data.Administration;

/// <summary>A realm as the portal lists it. <paramref name="Version"/> is passed back on edits (optimistic concurrency).</summary>
public sealed record RealmInfo(string Name, string Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, uint Version);
