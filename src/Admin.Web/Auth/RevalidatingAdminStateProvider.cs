using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Admin.Web.Auth;

/// <summary>
/// Re-checks a live circuit's admin every 30 seconds: a deleted admin or a reset password ends the
/// portal session in an open browser tab too, not only on the next full page load.
/// </summary>
public sealed class RevalidatingAdminStateProvider(ILoggerFactory loggerFactory, AdminSessionValidator validator)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        validator.IsValidAsync(authenticationState.User, cancellationToken);
}
