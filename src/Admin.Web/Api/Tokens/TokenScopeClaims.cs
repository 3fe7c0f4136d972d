using System.Security.Claims;
using Admin.Data.Administration;

namespace Admin.Web.Api.Tokens;

/// <summary>How an API token's <see cref="ApiTokenScope"/> rides on the request's principal.</summary>
public static class TokenScopeClaims
{
    public const string Scope = "turnstone:scope";
    public const string Realm = "turnstone:scope-realm";

    public static void Add(ClaimsIdentity identity, ApiTokenScope scope)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(scope);
        identity.AddClaim(new Claim(Scope, scope.Name));
        if (scope.Realm is not null) identity.AddClaim(new Claim(Realm, scope.Realm));
    }

    /// <summary>The scope on <paramref name="user"/>: full for a portal sign-in (no scope claim), else the token's.</summary>
    public static ApiTokenScope Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var scope = user.FindFirst(Scope)?.Value;
        if (scope is null || scope == ApiTokenScope.FullName) return ApiTokenScope.FullAccess;
        // Any other word (only "vend" today) is the narrow scope: never widen on something unexpected.
        return ApiTokenScope.VendOnly(user.FindFirst(Realm)?.Value ?? "");
    }
}
