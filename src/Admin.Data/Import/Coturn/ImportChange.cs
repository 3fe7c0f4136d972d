namespace Admin.Data.Import.Coturn;

/// <summary>One item of the import and its outcome, e.g. ("users", "alice@example.org", Added, "turndb turnusers_lt row 1").</summary>
public sealed record ImportChange(string Category, string Item, ImportOutcome Outcome, string Source);
