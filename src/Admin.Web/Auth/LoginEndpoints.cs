using Admin.Data.Administration;
using Npgsql;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Admin.Web.Auth;

/// <summary>
/// Sign-in and sign-out as plain form POSTs (the login page renders statically), so the response
/// can set and clear the authentication cookie. Antiforgery is validated on both. Sign-in passes the per-address
/// throttle first (<see cref="SignInThrottle"/>); sign-out ends the admin's sessions on the server
/// (<see cref="AdminAccountAdministration.EndSessionsAsync"/>), so the cookie is refused even if replayed.
/// </summary>
public static partial class LoginEndpoints
{
    public const string LoginPath = "/login";
    public const string LoginPostPath = "/auth/login";
    public const string LogoutPostPath = "/auth/logout";

    public static IEndpointRouteBuilder MapLoginEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Antiforgery is checked in the handlers, so a stale form gets a friendly answer, not an error page.
        endpoints.MapPost(LoginPostPath, SignInAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapPost(LogoutPostPath, SignOutAsync).DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http,
        IAntiforgery antiforgery,
        AdminAccountAdministration accounts,
        SignInThrottle throttle,
        IOptions<LoginOptions> loginOptions,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType) return Results.BadRequest();
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            // Typically a login page left open across a restart: show a fresh form.
            return Results.Redirect($"{LoginPath}?expired=1");
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        string? username = form["username"], password = form["password"], returnUrl = form["returnUrl"];
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var address = http.Connection.RemoteIpAddress;
        if (!throttle.MayAttempt(address))
        {
            // No password is checked: guessing from this network waits for its bucket to refill.
            LogThrottled(loggerFactory.CreateLogger(typeof(LoginEndpoints)), ClientNetwork.Of(address).ToString());
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(loginOptions.Value.AddressRefillInterval.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Redirect($"{LoginPath}?throttled=1&ReturnUrl={Uri.EscapeDataString(target)}");
        }
        LoginResult result;
        try
        {
            result = await accounts.SignInAsync(username ?? "", password ?? "", address?.ToString(), loginOptions.Value.Lockout, cancellationToken,
                lockoutApplies: throttle.LockoutApplies(address));
        }
        catch (NpgsqlException e)
        {
            LogDatabaseUnavailable(loggerFactory.CreateLogger(typeof(LoginEndpoints)), e.Message);
            return Results.Problem("The database is not reachable; try again later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (!result.Succeeded)
        {
            throttle.RecordFailure(address);
            // The same answer for unknown names, wrong passwords and locked accounts.
            return Results.Redirect($"{LoginPath}?error=1&ReturnUrl={Uri.EscapeDataString(target)}");
        }

        var principal = AdminClaims.CreatePrincipal(result.Admin!, result.SessionStamp!, CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return Results.LocalRedirect(target);
    }

    private static async Task<IResult> SignOutAsync(
        HttpContext http, IAntiforgery antiforgery, AdminAccountAdministration accounts, AdminSessionValidator sessions, ILoggerFactory loggerFactory)
    {
        // A cross-site POST must not sign anyone out.
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var name = http.User.Identity?.Name;
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!string.IsNullOrEmpty(name))
        {
            try
            {
                // Every cookie of this admin stops matching the stamp, so a copy of this one cannot be replayed.
                await accounts.EndSessionsAsync(name, http.RequestAborted);
                sessions.Forget(name);
            }
            catch (NpgsqlException e)
            {
                LogSignOutNotRecorded(loggerFactory.CreateLogger(typeof(LoginEndpoints)), name, e.Message);
                return Results.Problem("Signed out in this browser, but the database is not reachable: other copies of the sign-in stay valid until it is.",
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }
        return Results.Redirect(LoginPath);
    }

    // Only same-site paths: an absolute or protocol-relative ReturnUrl would be an open redirect.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    [LoggerMessage(EventId = 3201, Level = LogLevel.Error, Message = "Sign-in failed: {Reason}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Sign-in refused without a password check: network {Network} used up its failed attempts")]
    private static partial void LogThrottled(ILogger logger, string network);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Error, Message = "Sign-out of admin {Name} could not be recorded in the database: {Reason}")]
    private static partial void LogSignOutNotRecorded(ILogger logger, string name, string reason);
}
