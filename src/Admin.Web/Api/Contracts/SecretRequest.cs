namespace Admin.Web.Api.Contracts;

public sealed record SecretRequest(string? Value);
