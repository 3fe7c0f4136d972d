using Admin.Data.Administration;
using Npgsql;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Admin.Web.Auth;

/// <summary>
/// Sign-in and sign-out as plain form POSTs (the login page renders statically), so the response
/// can set and clear the authentication cookie. Antiforgery is validated on both.
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
        LoginResult result;
        try
        {
            result = await accounts.SignInAsync(username ?? "", password ?? "", http.Connection.RemoteIpAddress?.ToString(), loginOptions.Value.Lockout, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            LogDatabaseUnavailable(loggerFactory.CreateLogger(typeof(LoginEndpoints)), e.Message);
            return Results.Problem("The database is not reachable; try again later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (!result.Succeeded)
        {
            // The same answer for unknown names, wrong passwords and locked accounts.
            return Results.Redirect($"{LoginPath}?error=1&ReturnUrl={Uri.EscapeDataString(target)}");
        }

        var principal = AdminClaims.CreatePrincipal(result.Admin!, result.SessionStamp!, CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return Results.LocalRedirect(target);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        // A cross-site POST must not sign anyone out.
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect(LoginPath);
    }

    // Only same-site paths: an absolute or protocol-relative ReturnUrl would be an open redirect.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    [LoggerMessage(EventId = 3201, Level = LogLevel.Error, Message = "Sign-in failed: {Reason}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string reason);
}
