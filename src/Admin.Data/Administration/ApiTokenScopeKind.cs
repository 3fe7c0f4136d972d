namespace Admin.Data.Administration;

/// <summary>The kinds of <see cref="ApiTokenScope"/>.</summary>
public enum ApiTokenScopeKind
{
    /// <summary>Everything the token's admin may do.</summary>
    Full,

    /// <summary>Only credential vending (ice-servers) of one realm.</summary>
    Vend,
}
