using System.Security.Cryptography;

namespace Admin.Web.Portal;

/// <summary>
/// Adds security headers to every response (portal pages, API, downloads, static files).
/// The Content-Security-Policy fits Blazor Server and MudBlazor: scripts only from this origin plus the
/// one inline import map, which carries a per-request nonce (<see cref="GetNonce"/>); inline styles are
/// allowed because MudBlazor sets style attributes; the circuit's WebSocket is same-origin ('self').
/// frame-ancestors 'none' (and X-Frame-Options for old browsers) stops click-jacking.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string NonceKey = "turnstone.csp-nonce";

    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = BuildPolicy(nonce);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>The nonce of this request's policy, for the inline import map; null outside the middleware.</summary>
    public static string? GetNonce(HttpContext? context) => context?.Items[NonceKey] as string;

    internal static string BuildPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";
}
