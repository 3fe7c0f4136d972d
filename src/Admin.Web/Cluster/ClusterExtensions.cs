using Admin.Data.Cluster;
using Admin.Data.RelayCommands;
using Admin.Data.Usage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Web.Cluster;

/// <summary>
/// Several <c>turnstone serve</c> nodes on one PostgreSQL: options (section "Cluster", validated at start), the node
/// registry and its heartbeat, the internal endpoint, the peer client the live feed and the commands use, and the
/// registry-backed <see cref="IAlternateServerDirectory"/>, which replaces any configured one in <c>serve</c>.
/// Call after AddTurnRelay and AddLiveRelay.
/// </summary>
public static class ClusterExtensions
{
    public static WebApplicationBuilder AddCluster(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        services.TryAddSingleton(sp => new ClusterNodes(sp.GetRequiredService<IOptions<UsageOptions>>().Value.EffectiveNode));
        services.TryAddSingleton<NodeRegistry>();
        services.TryAddSingleton<ClusterPeerClient>();
        services.TryAddSingleton(sp => new ClusterCommands(
            sp.GetRequiredService<ClusterNodes>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.Enabled ? sp.GetRequiredService<ClusterPeerClient>() : null,
            sp.GetRequiredService<IRelayState>(),
            sp.GetRequiredService<IRelayControl>(),
            sp.GetRequiredService<RelayCommandAudit>()));
        services.AddHttpClient(ClusterPeerClient.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Keep-alive connections are reused tick after tick; a peer that moved is found again within minutes.
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = sp.GetRequiredService<IOptions<ClusterOptions>>().Value.PeerTimeout,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                UseProxy = false,
            });
        // The internal endpoint starts before the first heartbeat, which advertises its bound URL.
        services.TryAddSingleton<InternalEndpointServer>();
        services.AddHostedService(sp => sp.GetRequiredService<InternalEndpointServer>());
        services.AddHostedService<NodeHeartbeatService>();
        services.RemoveAll<IAlternateServerDirectory>();
        services.AddSingleton<IAlternateServerDirectory, RegistryAlternateServerDirectory>();
        return builder;
    }
}
