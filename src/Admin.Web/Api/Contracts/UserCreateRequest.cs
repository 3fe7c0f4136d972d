namespace Admin.Web.Api.Contracts;

/// <summary>
/// A new TURN user: give exactly one of <paramref name="Password"/>, <paramref name="HmacKey"/> (32 hex digits, as
/// turnadmin -k prints it) or <paramref name="GeneratePassword"/> (the answer then carries the password, once).
/// </summary>
public sealed record UserCreateRequest(string? Name, string? Password, string? HmacKey, bool GeneratePassword = false);
