namespace Admin.Data.Administration;

/// <summary>
/// The one error type of the administration services: the operation was refused, nothing was changed,
/// and <see cref="Exception.Message"/> is a sentence fit to show to the operator as is
/// (it never contains a password, key or secret). <see cref="Field"/> names the offending input, if any.
/// Anything else thrown (e.g. <see cref="DatabaseUnavailableException"/>) is an infrastructure failure.
/// </summary>
public sealed class AdminOperationException(AdminErrorCode code, string message, string? field = null) : Exception(message)
{
    public AdminErrorCode Code { get; } = code;

    /// <summary>The input the message refers to ("realm", "name", "password", "range", ...), for inline form errors.</summary>
    public string? Field { get; } = field;
}
