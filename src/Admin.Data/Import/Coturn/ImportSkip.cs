namespace Admin.Data.Import.Coturn;

/// <summary>Something in the coturn files the import leaves out, where it was, and why (the report's "not imported" list).</summary>
public sealed record ImportSkip(string What, string Source, string Reason);
