namespace Admin.Data.Administration;

/// <summary>Filters for <see cref="AuditLogQueries.ListAsync"/>; null means "any". Times are inclusive-exclusive [From, To).</summary>
public sealed record AuditQuery(string? Admin = null, string? Realm = null, string? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null);
