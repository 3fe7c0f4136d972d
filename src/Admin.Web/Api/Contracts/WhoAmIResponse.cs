namespace Admin.Web.Api.Contracts;

/// <summary>The admin a token acts as; <paramref name="Realm"/> null for a superuser.</summary>
public sealed record WhoAmIResponse(string Name, string? Realm, bool Superuser, long TokenId);
