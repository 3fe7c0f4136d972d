namespace Admin.Data.Administration;

/// <summary>What an import did with one line.</summary>
public enum UserImportOutcome
{
    Added,
    Updated,
    Skipped,
    Refused,
}
