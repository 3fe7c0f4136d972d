namespace Admin.Data.RelayCommands;

/// <summary>
/// The relay's drain state after a request, whether the request changed it, and whether that change was audited
/// (false when nothing changed: there was nothing to audit).
/// </summary>
public sealed record DrainResult(bool Draining, bool Changed, bool AuditWritten);
