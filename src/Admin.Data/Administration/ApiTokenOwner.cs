namespace Admin.Data.Administration;

/// <summary>Who a valid token acts as: its admin with the admin's realm as it is now (null = superuser), and what the token may do.</summary>
public sealed record ApiTokenOwner(long TokenId, string AdminName, string? Realm, ApiTokenScope Scope);
