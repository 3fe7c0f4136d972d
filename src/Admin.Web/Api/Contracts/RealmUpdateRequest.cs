namespace Admin.Web.Api.Contracts;

/// <param name="Version">The version last read (optimistic concurrency: 409 when someone changed it since); null skips the check.</param>
public sealed record RealmUpdateRequest(string? Description, uint? Version);
