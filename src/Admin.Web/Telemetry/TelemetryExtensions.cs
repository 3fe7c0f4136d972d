using System.Security.Cryptography;
using System.Text;
using Admin.Data.Usage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Turn.Relay.Seams;

namespace Admin.Web.Telemetry;

/// <summary>
/// OpenTelemetry for the serve host: metrics (the relay's and usage meters, ASP.NET Core, runtime, Npgsql) on a
/// Prometheus endpoint with a listener of its own; traces of portal/API requests and database calls; logs. All three
/// also go out over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, with the node name (Usage:Node) as the resource's
/// service.instance.id. Plus the readiness checks behind /readyz.
/// </summary>
public static class TelemetryExtensions
{
    public const string ServiceName = "turnstone";
    public const string ReadyTag = "ready";
    public const string ReadyPath = "/readyz";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        var metrics = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        var valid = metrics.Validate() is null;
        var scrape = valid && metrics.Port != 0;
        // An invalid value fails the start with its message (ValidateOnStart); until then the default stands in.
        var cardinalityLimit = valid ? metrics.CardinalityLimit : MetricsOptions.DefaultCardinalityLimit;

        // The node (Usage:Node, the one node name of a cluster) is the resource's service.instance.id: every series and
        // span of this process carries it once, as a resource attribute (Prometheus: target_info), never as a label per user.
        var node = (builder.Configuration.GetSection(UsageOptions.Section).Get<UsageOptions>() ?? new UsageOptions()).EffectiveNode;
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: BuildInfo.Version,
                autoGenerateServiceInstanceId: false, serviceInstanceId: node))
            .WithMetrics(meters =>
            {
                meters.AddMeter(RelayMeter.Name, UsageRecorder.MeterName, Admin.Data.Credentials.DatabaseOutage.MeterName, BuildInfoMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = cardinalityLimit });
                if (scrape) meters.AddPrometheusExporter();
            })
            .WithTracing(traces => traces
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsMetricsRequest(context, metrics))
                .AddNpgsql())
            .WithLogging();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();

        if (scrape) AddMetricsListener(builder, metrics);
        services.AddSingleton<BuildInfoMetrics>();

        services.AddHealthChecks()
            .AddCheck<DatabaseReadinessCheck>("database", tags: [ReadyTag])
            .AddCheck<RelayReadinessCheck>("relay-listeners", tags: [ReadyTag])
            .AddCheck<RelayDrainingCheck>("relay-draining", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// The scrape endpoint on the metrics listener only (before anything else, so it needs no sign-in but may need the
    /// bearer token); anything else on that listener is 404, and the portal's own port never serves metrics.
    /// Also maps /readyz (database reachable, TURN listeners bound).
    /// </summary>
    public static WebApplication UseTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        app.Services.GetRequiredService<BuildInfoMetrics>(); // creates the gauge before the first scrape or export
        if (metrics.Port != 0)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(
                meterProvider: null,
                predicate: context => IsMetricsRequest(context, metrics),
                path: null,
                configureBranchedPipeline: branch => branch.Use(async (context, next) =>
                {
                    if (!IsAuthorized(context, metrics.BearerToken))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.Response.Headers.WWWAuthenticate = "Bearer";
                        return;
                    }
                    await next(context);
                }),
                optionsName: null);
            app.Use(async (context, next) =>
            {
                if (context.Connection.LocalPort == metrics.Port)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                await next(context);
            });
        }
        return app;
    }

    /// <summary>/readyz: 200 when every readiness check passes, else 503 with the failing checks named.</summary>
    public static WebApplication MapReadiness(this WebApplication app)
    {
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                var text = new StringBuilder().Append(report.Status).Append('\n');
                foreach (var (name, entry) in report.Entries) text.Append(name).Append(": ").Append(entry.Status).Append(" - ").Append(entry.Description).Append('\n');
                await context.Response.WriteAsync(text.ToString());
            },
        }).AllowAnonymous();
        return app;
    }

    // Adds the metrics listener to the server's URLs, keeping the portal's (Urls, --urls, ASPNETCORE_URLS, or the default).
    private static void AddMetricsListener(WebApplicationBuilder builder, MetricsOptions metrics)
    {
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrEmpty(urls)) return; // a host that configures Kestrel in code decides its own listeners
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var port = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (Uri.TryCreate(port, UriKind.Absolute, out var uri) && uri.Port == metrics.Port)
            {
                // Reported like any invalid setting (the CLI prints it and exits with the configuration code).
                throw new OptionsValidationException(MetricsOptions.Section, typeof(MetricsOptions),
                    [$"{MetricsOptions.Section}:{nameof(MetricsOptions.Port)} ({metrics.Port}) is also the portal's port ({url}); choose another, or 0 to turn metrics off."]);
            }
        }
        builder.WebHost.UseUrls($"{urls};{metrics.ListenUrl}");
    }

    private static bool IsMetricsRequest(HttpContext context, MetricsOptions metrics) =>
        metrics.Port != 0 && context.Connection.LocalPort == metrics.Port
        && string.Equals(context.Request.Path.Value, metrics.Path, StringComparison.Ordinal);

    private static bool IsAuthorized(HttpContext context, string? token)
    {
        if (string.IsNullOrEmpty(token)) return true;
        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
