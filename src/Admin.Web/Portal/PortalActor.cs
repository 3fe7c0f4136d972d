using System.Security.Claims;
using Admin.Data.Administration;
using Admin.Web.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace Admin.Web.Portal;

/// <summary>
/// Who is acting in this portal circuit, as the administration services need it: the signed-in admin's name
/// and realm scope (from the sign-in claims) and the browser's address for the audit log. The services enforce
/// the realm scope; pages only pass this on.
/// </summary>
public sealed class PortalActor(AuthenticationStateProvider authentication, IHttpContextAccessor httpContextAccessor)
{
    // Read when the circuit's scope is created, while the hub connection's HttpContext is still current.
    private readonly string? _clientAddress = httpContextAccessor.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public async Task<AdminActor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return From(state.User, _clientAddress);
    }

    /// <summary>The actor for a signed-in principal (portal circuit or plain HTTP request).</summary>
    public static AdminActor From(ClaimsPrincipal user, string? clientAddress)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } n } ? n
            : throw new AdminOperationException(AdminErrorCode.Forbidden, "You are not signed in.");
        var realm = AdminClaims.GetRealm(user);
        return string.IsNullOrEmpty(realm) ? AdminActor.Superuser(name, clientAddress) : AdminActor.RealmAdmin(name, realm, clientAddress);
    }
}
