using System.Security.Claims;

namespace Admin.Web.Auth;

/// <summary>Claims of a signed-in admin, and how to turn them back into who is acting.</summary>
public static class AdminClaims
{
    /// <summary>The admin's realm; absent for a superuser.</summary>
    public const string Realm = "turnstone:realm";

    public static ClaimsPrincipal CreatePrincipal(AdminAccount admin, string authenticationScheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, admin.Name) };
        if (!admin.IsSuperuser) claims.Add(new Claim(Realm, admin.Realm!));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static string? GetRealm(ClaimsPrincipal principal) => principal.FindFirst(Realm)?.Value;
}
