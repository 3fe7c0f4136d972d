namespace Admin.Data.Import.Coturn;

/// <summary>One row of a coturn SQLite table as read (values trimmed, null where SQL NULL), before any check.</summary>
public sealed record CoturnRow(string Source, IReadOnlyList<string?> Fields)
{
    public string? this[int index] => index < Fields.Count ? Fields[index] : null;
}
