namespace Admin.Data.Administration;

/// <summary>A new token: <paramref name="Token"/> is shown this once and stored only as a hash.</summary>
public sealed record CreatedApiToken(string Token, ApiTokenInfo Info);
