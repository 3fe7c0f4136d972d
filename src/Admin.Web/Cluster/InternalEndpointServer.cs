using Admin.Data.Cluster;
using Microsoft.Extensions.Options;

namespace Admin.Web.Cluster;

/// <summary>
/// The internal endpoint: a Kestrel server of its own on Cluster:InternalUrl, apart from the portal's listener and
/// the metrics listener, serving only <see cref="InternalEndpoints"/> behind <see cref="InternalRequestAuthentication"/>.
/// Built as a separate minimal application, so none of the portal's middleware, routes or cookies exist on it and none
/// of its routes exist on the portal. Does nothing when clustering is off (no Cluster:Key).
/// </summary>
public sealed partial class InternalEndpointServer(
    IOptions<ClusterOptions> options,
    ClusterNodes nodes,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    TimeProvider time) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The URL written in the registry: Cluster:AdvertisedInternalUrl, else the bound InternalUrl; null when off.</summary>
    public string? AdvertisedUrl { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(InternalEndpointServer).Assembly.GetName().Name });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            // Peers send small requests; anything bigger or slower is not a peer.
            kestrel.Limits.MaxRequestBodySize = InternalRequestAuthentication.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 512;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(5);
            kestrel.AddServerHeader = false;
        });
        builder.WebHost.UseUrls(settings.InternalUrl!);
        var app = builder.Build();
        var authentication = new InternalRequestAuthentication(options, nodes.Self, time);
        app.Use(authentication.InvokeAsync);
        app.UseRouting();
        ActivatorUtilities.CreateInstance<InternalEndpoints>(services).Map(app);
        await app.StartAsync(cancellationToken);
        _app = app;
        var bound = app.Urls.FirstOrDefault() ?? settings.InternalUrl!;
        AdvertisedUrl = string.IsNullOrEmpty(settings.AdvertisedInternalUrl) ? bound : settings.AdvertisedInternalUrl;
        LogListening(loggerFactory.CreateLogger<InternalEndpointServer>(), bound, AdvertisedUrl);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app) await app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app) await app.DisposeAsync();
        _app = null;
    }

    [LoggerMessage(EventId = 3614, Level = LogLevel.Information, Message = "Cluster internal endpoint listening on {Url} (advertised as {Advertised})")]
    private static partial void LogListening(ILogger logger, string url, string advertised);
}
