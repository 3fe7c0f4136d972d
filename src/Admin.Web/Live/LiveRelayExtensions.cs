using Admin.Data.Usage;
using Admin.Web.Usage;
using Turn.Relay.Seams;

namespace Admin.Web.Live;

/// <summary>
/// Live relay views for the portal: the shared per-second feed (<see cref="LiveRelayFeed"/>) with its sample
/// history and event counter, session termination, draining, usage history (recording, compaction, reports) and the usage
/// CSV export endpoint.
/// </summary>
public static class LiveRelayExtensions
{
    public static WebApplicationBuilder AddLiveRelay(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<RelayEventCounter>();
        services.AddSingleton<IRelayEventSink>(sp => sp.GetRequiredService<RelayEventCounter>());
        services.AddSingleton<RelaySampleHistory>();
        services.AddSingleton<LiveRelayFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveRelayFeed>());
        services.AddSingleton<RelayCommandAudit>();
        services.AddSingleton<SessionTerminator>();
        services.AddSingleton<RelayDrain>();
        services.AddUsageHistory();
        return builder;
    }

    public static WebApplication MapLiveRelay(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapUsageExport();
        return app;
    }
}
