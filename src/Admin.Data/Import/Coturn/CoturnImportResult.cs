namespace Admin.Data.Import.Coturn;

/// <summary>
/// The outcome of <see cref="CoturnImporter.ImportAsync"/>: every item with what was (or would be) done with it, and
/// whether it was committed (false for a dry run, whose transaction is rolled back).
/// </summary>
public sealed record CoturnImportResult(bool Applied, IReadOnlyList<ImportChange> Changes)
{
    /// <summary>The categories in report order.</summary>
    public static readonly IReadOnlyList<string> Categories = ["realms", "users", "secrets", "realm options", "origins", "peer rules", "admins"];

    public int Count(string category, ImportOutcome outcome) => Changes.Count(c => c.Category == category && c.Outcome == outcome);

    /// <summary>True when nothing would be added or updated: the database already holds everything imported.</summary>
    public bool Unchanged => Changes.All(c => c.Outcome == ImportOutcome.Unchanged);
}
