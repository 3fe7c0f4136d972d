namespace Admin.Web.Api.Tokens;

/// <summary>
/// Endpoint metadata: a vend-only token may call this endpoint for the realm in its {realm} route value. Endpoints
/// without it refuse vend-only tokens (default deny, <see cref="TokenScopeRequirement"/>).
/// </summary>
public sealed class VendScopeAllowed
{
    public static readonly VendScopeAllowed Instance = new();

    private VendScopeAllowed()
    {
    }
}
