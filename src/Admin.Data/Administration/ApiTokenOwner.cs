namespace Admin.Data.Administration;

/// <summary>Who a valid token acts as: its admin with the admin's realm as it is now (null = superuser).</summary>
public sealed record ApiTokenOwner(long TokenId, string AdminName, string? Realm);
