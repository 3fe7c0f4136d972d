namespace Admin.Web.Api.Contracts;

/// <param name="Realm">Null or empty for a superuser; otherwise the realm the admin is confined to.</param>
public sealed record AdminCreateRequest(string? Name, string? Password, string? Realm);
