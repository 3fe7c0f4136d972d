namespace Admin.Web.Api.Contracts;

public sealed record RealmCreateRequest(string? Name, string? Description);
