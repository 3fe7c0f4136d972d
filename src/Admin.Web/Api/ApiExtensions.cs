using System.Globalization;
using System.Threading.RateLimiting;
using Admin.Web.Api.Endpoints;
using Admin.Web.Api.IceServers;
using Admin.Web.Api.Problems;
using Admin.Web.Api.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Admin.Web.Api;

/// <summary>
/// The JSON admin API under /api/v1: bearer API tokens (never the portal cookie), RFC 9457 problem details for
/// every error, an OpenAPI document at <see cref="OpenApiPath"/>, per-token rate limiting of credential vending.
/// </summary>
public static class ApiExtensions
{
    public const string Prefix = "/api/v1";

    /// <summary>The stable address of the OpenAPI document (readable without a token).</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>Authorization policy of every API endpoint: an authenticated API token, nothing else.</summary>
    public const string Policy = "api-token";

    /// <summary>
    /// Policy of plain-HTTP portal downloads a script may also fetch (the usage CSV): the portal's cookie, or an API
    /// token when an Authorization header is sent (then the token's scope applies, as on the API).
    /// </summary>
    public const string PortalOrTokenPolicy = "portal-or-token";

    private const string PortalOrTokenScheme = "portal-or-token";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.TryAddSingleton<TrustedCertificates>();
        services.TryAddSingleton<AddressRealms>();
        services.AddSingleton<IceServerUrls>();
        services.AddSingleton<IceServerVending>();

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthentication().AddPolicyScheme(PortalOrTokenScheme, "Portal sign-in or API token", scheme =>
            scheme.ForwardDefaultSelector = http => http.Request.Headers.Authorization.Count > 0
                ? ApiTokenAuthenticationHandler.SchemeName
                : Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme);
        services.AddSingleton<IAuthorizationHandler, TokenScopeRequirement>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy
                .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(TokenScopeRequirement.Instance))
            .AddPolicy(PortalOrTokenPolicy, policy => policy
                .AddAuthenticationSchemes(PortalOrTokenScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(TokenScopeRequirement.Instance));
        services.AddProblemDetails();
        // Binding failures (malformed JSON, a query value of the wrong type) throw, so they become problems with their reason.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(IceServerEndpoints.RateLimitPolicy, http =>
            {
                var settings = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                var token = http.User.FindFirst(ApiTokenAuthenticationHandler.TokenIdClaim)?.Value ?? "";
                return RateLimitPartition.GetFixedWindowLimiter(token, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.IceServersPermitLimit,
                    Window = settings.IceServersWindow,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (context, _) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"This token has used up its credential requests for now; retry in {seconds} s.", "TooManyRequests"));
            };
        });

        services.AddOpenApi("v1", openApi =>
        {
            // Only the API: the portal's pages and sign-in posts are not part of the contract.
            openApi.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Turnstone admin API";
                document.Info.Description = "Realms, TURN users, shared secrets, peer rules, admins, audit log, credential vending, live sessions and draining. "
                    + "Authenticate with 'Authorization: Bearer <API token>' (create tokens in the portal under API tokens). Errors are RFC 9457 problem details.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API token (tst_...).",
                };
                return Task.CompletedTask;
            });
            // Per operation, not for the whole document: anonymous endpoints (ping) need no token and never answer 401/403.
            openApi.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Responses?.Remove("401");
                    operation.Responses?.Remove("403");
                    return Task.CompletedTask;
                }
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Call after MapPortal: the rate limiter must run after authorization has put the token's admin on the request.</summary>
    public static WebApplication MapApi(this WebApplication app)
    {
        app.UseWhen(http => IsApiPath(http.Request.Path), branch => branch.Use(ProblemsForEmptyErrors));
        app.UseRateLimiter();

        var api = app.MapGroup(Prefix)
            .RequireAuthorization(Policy)
            .AddEndpointFilter<ApiExceptionFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        PingEndpoints.Map(api);
        RealmEndpoints.Map(api);
        UserEndpoints.Map(api);
        SecretEndpoints.Map(api);
        PeerRuleEndpoints.Map(api);
        AdminEndpoints.Map(api);
        AuditEndpoints.Map(api);
        IceServerEndpoints.Map(api);
        SessionEndpoints.Map(api);
        RelayEndpoints.Map(api);
        NodeEndpoints.Map(api);
        UsageEndpoints.Map(api);
        // Unknown /api paths: a problem (after the token check), never the portal's sign-in redirect or HTML 404.
        app.MapFallback("/api/{**path}", NoSuchEndpoint).RequireAuthorization(Policy).ExcludeFromDescription();

        app.MapOpenApi(OpenApiPath.Replace("v1", "{documentName}", StringComparison.Ordinal)).AllowAnonymous();
        app.UseApiExplorer();
        return app;
    }

    // Routing also lands here when a JSON endpoint's path matched but the body was not JSON.
    private static ProblemHttpResult NoSuchEndpoint(HttpRequest request)
    {
        var hasBodyMethod = HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method);
        if (hasBodyMethod && !request.HasJsonContentType())
        {
            return TypedResults.Problem("Send a JSON body with 'Content-Type: application/json' (user import: 'text/csv'), or check the path against "
                + OpenApiPath + ".", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                extensions: new Dictionary<string, object?> { ["code"] = "UnsupportedMediaType" });
        }
        return TypedResults.Problem("There is no such API endpoint. See " + OpenApiPath + ".", statusCode: StatusCodes.Status404NotFound,
            title: "Not found", extensions: new Dictionary<string, object?> { ["code"] = "NotFound" });
    }

    private static bool IsApiPath(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// API answers are never the portal's HTML error pages: status-code pages are off here, an error status without a
    /// body gets a problem, and a request the binder refused becomes a 400 (or 413, 415) problem with its reason.
    /// </summary>
    private static async Task ProblemsForEmptyErrors(HttpContext http, RequestDelegate next)
    {
        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        try
        {
            await next(http);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            http.Response.Clear();
            var status = e.StatusCode;
            var code = status == StatusCodes.Status400BadRequest ? "InvalidInput" : ApiProblems.TitleOf(status).Replace(" ", "", StringComparison.Ordinal);
            await ApiProblems.WriteAsync(http, status, ApiProblems.TitleOf(status), e.Message, code);
            return;
        }
        if (http.Response.StatusCode >= 400 && !http.Response.HasStarted && http.Response.ContentType is null && http.Response.ContentLength is null)
        {
            var status = http.Response.StatusCode;
            await ApiProblems.WriteAsync(http, status, ApiProblems.TitleOf(status), ApiProblems.TitleOf(status) + ".", ApiProblems.TitleOf(status).Replace(" ", "", StringComparison.Ordinal));
        }
    }
}
