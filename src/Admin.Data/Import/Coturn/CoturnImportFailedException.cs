namespace Admin.Data.Import.Coturn;

/// <summary>The database refused a write during an import; the transaction was rolled back, so nothing was saved.</summary>
public sealed class CoturnImportFailedException(string message, Exception innerException) : Exception(message, innerException);
