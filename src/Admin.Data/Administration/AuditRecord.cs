namespace Admin.Data.Administration;

/// <summary>One audit row as the portal and API show it; <paramref name="Details"/> is JSON text or null.</summary>
public sealed record AuditRecord(long Id, DateTimeOffset At, string Admin, string Action, string Target, string? Realm, string? Details, string? ClientAddress);
