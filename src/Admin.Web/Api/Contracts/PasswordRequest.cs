namespace Admin.Web.Api.Contracts;

/// <param name="Version">The version last read (409 when changed since); null skips the check.</param>
public sealed record PasswordRequest(string? Password, uint? Version = null);
