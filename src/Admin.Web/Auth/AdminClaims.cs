using System.Security.Claims;
using Admin.Data.Administration;

namespace Admin.Web.Auth;

/// <summary>Claims of a signed-in admin, and how to turn them back into who is acting.</summary>
public static class AdminClaims
{
    /// <summary>The admin's realm; absent for a superuser.</summary>
    public const string Realm = "turnstone:realm";

    /// <summary>The <see cref="AdminSessionStamp"/> at sign-in.</summary>
    public const string SessionStamp = "turnstone:stamp";

    public static ClaimsPrincipal CreatePrincipal(AdminAccount admin, string sessionStamp, string authenticationScheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, admin.Name), new(SessionStamp, sessionStamp) };
        if (!admin.IsSuperuser) claims.Add(new Claim(Realm, admin.Realm!));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static string? GetRealm(ClaimsPrincipal principal) => principal.FindFirst(Realm)?.Value;
}
