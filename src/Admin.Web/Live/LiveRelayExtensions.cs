using Admin.Data.Cluster;
using Admin.Data.RelayCommands;
using Admin.Data.Usage;
using Admin.Web.Cluster;
using Admin.Web.Portal;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Web.Live;

/// <summary>
/// Live relay views for the portal: the shared per-second feed (<see cref="LiveRelayFeed"/>) with its sample
/// history and event counter, Admin.Data's relay commands (session termination, draining) and usage history (recording,
/// compaction, reports, export) with the usage CSV download.
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
        // In a cluster (Cluster:Key set, see AddCluster) the feed merges the other nodes' snapshots each tick.
        services.AddSingleton(sp => new LiveRelayFeed(
            sp.GetRequiredService<IRelayState>(), sp.GetRequiredService<IRelayStatus>(), sp.GetRequiredService<RelayEventCounter>(),
            sp.GetRequiredService<RelaySampleHistory>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LiveRelayFeed>>(),
            sp.GetRequiredService<IOptions<UsageOptions>>().Value.EffectiveNode,
            sp.GetService<IOptions<ClusterOptions>>()?.Value.Enabled == true ? sp.GetService<ClusterPeerClient>() : null));
        services.AddHostedService(sp => sp.GetRequiredService<LiveRelayFeed>());
        services.AddRelayCommands();
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
