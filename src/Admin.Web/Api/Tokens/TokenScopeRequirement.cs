using Admin.Data.Administration;
using Microsoft.AspNetCore.Authorization;

namespace Admin.Web.Api.Tokens;

/// <summary>
/// Part of every policy a token can satisfy (the API's and the CSV export's): a full token passes; a vend-only token
/// passes only on an endpoint marked <see cref="VendScopeAllowed"/> whose {realm} route value is the token's realm.
/// Failing it answers 403 (problem details) before the endpoint runs.
/// </summary>
public sealed class TokenScopeRequirement : AuthorizationHandler<TokenScopeRequirement>, IAuthorizationRequirement
{
    public static readonly TokenScopeRequirement Instance = new();

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TokenScopeRequirement requirement)
    {
        var scope = TokenScopeClaims.Of(context.User);
        if (scope.Kind == ApiTokenScopeKind.Full || Allows(context.Resource as HttpContext, scope))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }

    private static bool Allows(HttpContext? http, ApiTokenScope scope)
    {
        if (http?.GetEndpoint()?.Metadata.GetMetadata<VendScopeAllowed>() is null) return false;
        return http.Request.RouteValues.TryGetValue("realm", out var realm) && realm is string name && !string.IsNullOrEmpty(scope.Realm)
            && string.Equals(name, scope.Realm, StringComparison.Ordinal);
    }
}
