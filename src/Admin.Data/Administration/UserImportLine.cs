namespace Admin.Data.Administration;

/// <summary>One line of an import and what was done with it (never the password or key).</summary>
public sealed record UserImportLine(int Line, string Name, UserImportOutcome Outcome);
