using Admin.Data.Administration;
using Admin.Web.Auth;
using Admin.Web.Components;
using Admin.Web.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Admin.Web.Hosting;

/// <summary>The portal: Blazor Server components, MudBlazor, cookie sign-in, first-start database work.</summary>
public static class PortalExtensions
{
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TurnstoneOptions>().BindConfiguration(TurnstoneOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LoginOptions>().BindConfiguration(LoginOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<LoginOptions>>((cookie, login) =>
            {
                cookie.LoginPath = LoginEndpoints.LoginPath;
                cookie.LogoutPath = LoginEndpoints.LogoutPostPath;
                cookie.Cookie.Name = "turnstone.auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = login.Value.SessionLifetime;
                cookie.SlidingExpiration = true;
                // A deleted admin, or one whose password was reset, is signed out on the next request.
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    var validator = context.HttpContext.RequestServices.GetRequiredService<AdminSessionValidator>();
                    if (context.Principal is null || !await validator.IsValidAsync(context.Principal, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        // Keys that protect the sign-in cookie and antiforgery tokens survive restarts (and live with the other local data).
        services.AddDataProtection()
            .SetApplicationName("turnstone")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(DataDirectory(builder.Configuration), "keys")));
        // Everything needs a signed-in admin unless it says otherwise (login, health, static assets).
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAdminStateProvider>();
        // Secure when the request is HTTPS (directly, or behind a proxy once forwarded headers are applied).
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // Admin.Data's AdminAccountAdministration (registered by AddAdminData) hashes with it.
        services.AddSingleton<IAdminPasswordHasher, AdminPasswordHasher>();
        services.AddSingleton<AdminSessionValidator>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AdminBootstrapper>();
        services.AddSingleton<DatabaseStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseStartup>());
        services.AddHealthChecks();
        services.AddPortalPages();
        return builder;
    }

    internal static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration[$"{TurnstoneOptions.Section}:{nameof(TurnstoneOptions.DataDirectory)}"] is { Length: > 0 } configured
            ? configured
            : new TurnstoneOptions().DataDirectory);

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        // Liveness only: the readiness checks (database, listeners) answer on /readyz.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapStaticAssets().AllowAnonymous();
        app.MapLoginEndpoints();
        app.MapPortalPages();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
