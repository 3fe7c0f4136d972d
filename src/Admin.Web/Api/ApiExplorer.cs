namespace Admin.Web.Api;

/// <summary>
/// Swagger UI over the OpenAPI document at <see cref="Path"/>, for signed-in admins (the portal's fallback policy
/// applies: the middleware runs after authorization and no endpoint claims the path). Its scripts and styles are
/// embedded in Swashbuckle.AspNetCore.SwaggerUI and served from this host, so the portal's CSP holds unchanged
/// (no CDN, no inline script: index.html loads index.js). "Try it out" calls the API with a token entered under
/// Authorize; the portal cookie never authenticates an API call.
/// </summary>
public static class ApiExplorer
{
    public const string Path = "/api-explorer";

    public static WebApplication UseApiExplorer(this WebApplication app)
    {
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = Path.TrimStart('/');
            ui.SwaggerEndpoint(ApiExtensions.OpenApiPath, "Turnstone admin API v1");
            ui.DocumentTitle = "API explorer · Turnstone";
            ui.EnableTryItOutByDefault();
            ui.DisplayRequestDuration();
        });
        return app;
    }
}
