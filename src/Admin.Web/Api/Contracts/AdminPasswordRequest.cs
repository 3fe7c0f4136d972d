namespace Admin.Web.Api.Contracts;

public sealed record AdminPasswordRequest(string? Password);
