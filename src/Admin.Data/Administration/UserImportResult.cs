namespace Admin.Data.Administration;

/// <summary>
/// The outcome of an all-or-nothing import: when <see cref="Errors"/> is not empty nothing was imported
/// (<see cref="Imported"/> is 0) and every bad line is listed; otherwise every row was added, updated or skipped
/// (<see cref="ExistingUserMode"/>) and <see cref="Lines"/> says which, per line.
/// </summary>
public sealed record UserImportResult(int Imported, IReadOnlyList<UserImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>Per line: added, updated or skipped (empty when the import was refused).</summary>
    public IReadOnlyList<UserImportLine> Lines { get; init; } = [];

    public int Updated => Lines.Count(l => l.Outcome == UserImportOutcome.Updated);

    public int Skipped => Lines.Count(l => l.Outcome == UserImportOutcome.Skipped);
}
