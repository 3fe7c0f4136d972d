namespace Admin.Data.Administration;

/// <summary>A user and its long-term key (lowercase hex), as exported (CSV "user,hmackey").</summary>
public sealed record UserKeyRow(string Name, string HmacKey, bool Disabled);
