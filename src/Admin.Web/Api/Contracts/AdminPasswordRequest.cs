namespace Admin.Web.Api.Contracts;

/// <param name="Password">The new password.</param>
/// <param name="CurrentPassword">Required when an admin changes their own password; ignored for a superuser resetting another's.</param>
public sealed record AdminPasswordRequest(string? Password, string? CurrentPassword = null);
