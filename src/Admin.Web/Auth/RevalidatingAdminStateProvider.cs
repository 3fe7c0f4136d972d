using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Admin.Web.Auth;

/// <summary>
/// Re-checks a live circuit's admin every 30 seconds: a deleted admin or a reset password ends the
/// portal session in an open browser tab too, not only on the next full page load. While the database
/// cannot be asked, the session stays as it is (the base class would sign the admin out on any error,
/// ending the live views exactly when an operator watches an outage); the next check decides again.
/// </summary>
public sealed partial class RevalidatingAdminStateProvider(ILoggerFactory loggerFactory, AdminSessionValidator validator)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<RevalidatingAdminStateProvider>();

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            return await validator.IsValidAsync(authenticationState.User, cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            LogDatabaseUnavailable(_logger, authenticationState.User.Identity?.Name ?? "", ex.Message);
            return true;
        }
    }

    [LoggerMessage(EventId = 3604, Level = LogLevel.Warning, Message = "Could not re-check admin {Admin}'s session (database unavailable: {Error}); keeping it until the next check")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string admin, string error);
}
