using System.Security.Claims;
using Admin.Data.Administration;
using Admin.Web.Auth;

namespace Admin.Web.Live;

/// <summary>The signed-in admin as an <see cref="AdminActor"/> (realm from the sign-in claims, never from input).</summary>
public static class PortalActor
{
    public static AdminActor From(ClaimsPrincipal user, string? clientAddress = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.Identity?.Name ?? throw new InvalidOperationException("No signed-in admin.");
        return AdminClaims.GetRealm(user) is { Length: > 0 } realm
            ? AdminActor.RealmAdmin(name, realm, clientAddress)
            : AdminActor.Superuser(name, clientAddress);
    }
}
