namespace Admin.Data.RelayCommands;

/// <summary>How many allocations a termination ended, and whether its audit row was written.</summary>
public sealed record TerminationResult(int Count, bool AuditWritten);
