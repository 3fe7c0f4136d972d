namespace Admin.Data.Administration;

/// <summary>One user to import: exactly one of <paramref name="Password"/> and <paramref name="HmacKey"/>. <paramref name="Line"/> is for error reports.</summary>
public sealed record UserImportRow(int Line, string Name, string? Password, string? HmacKey);
