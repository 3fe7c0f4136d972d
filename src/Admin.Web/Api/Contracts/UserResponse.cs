namespace Admin.Web.Api.Contracts;

/// <summary>A TURN user (never its key). <paramref name="GeneratedPassword"/> only in the answer to a create that asked for one.</summary>
public sealed record UserResponse(string Realm, string Name, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, uint Version,
    string? GeneratedPassword = null);
