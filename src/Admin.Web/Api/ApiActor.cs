using Admin.Data.Administration;
using Admin.Web.Auth;

namespace Admin.Web.Api;

/// <summary>The admin behind an API request, with the token owner's realm scoping, for the services and the audit log.</summary>
internal static class ApiActor
{
    public static AdminActor Of(HttpContext http)
    {
        var name = http.User.Identity?.Name ?? throw new InvalidOperationException("An API endpoint ran without an authenticated token.");
        var realm = AdminClaims.GetRealm(http.User);
        var address = http.Connection.RemoteIpAddress?.ToString();
        return realm is null ? AdminActor.Superuser(name, address) : AdminActor.RealmAdmin(name, realm, address);
    }
}
