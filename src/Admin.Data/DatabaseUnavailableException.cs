namespace Admin.Data;

/// <summary>
/// The database could not be reached or refused the connection. The message names host, port, database
/// and user so an operator can fix the configuration, and never the password.
/// </summary>
public sealed class DatabaseUnavailableException(string message, Exception? innerException) : Exception(message, innerException);
