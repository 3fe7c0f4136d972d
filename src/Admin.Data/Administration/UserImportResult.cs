namespace Admin.Data.Administration;

/// <summary>
/// The outcome of an all-or-nothing import: when <see cref="Errors"/> is not empty nothing was imported
/// (<see cref="Imported"/> is 0) and every bad line is listed; otherwise all rows were added.
/// </summary>
public sealed record UserImportResult(int Imported, IReadOnlyList<UserImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
