namespace Admin.Data.Administration;

/// <summary>A TURN user without its key. <paramref name="Version"/> is passed back on edits (optimistic concurrency).</summary>
public sealed record UserInfo(string Realm, string Name, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, uint Version);
