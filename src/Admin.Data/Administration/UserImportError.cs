namespace Admin.Data.Administration;

/// <summary>Why one line of an import was refused. The message never contains the password or key.</summary>
public sealed record UserImportError(int Line, string? Name, string Message);
