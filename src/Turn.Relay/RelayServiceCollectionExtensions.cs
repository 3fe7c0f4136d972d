using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Hosting;
using Turn.Relay.Policy;
using Turn.Relay.Realms;
using Turn.Relay.Redirects;
using Turn.Relay.Tls;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay;

public static class RelayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the TURN relay: options from section "Relay" (validated at start), the engine, its
    /// hosted service (listeners start with the host), <see cref="IRelayState"/>,
    /// <see cref="IRelayControl"/> and <see cref="RelayMetrics"/>. Registers
    /// <see cref="PeerPolicy"/> as <see cref="IPeerPolicy"/> and <see cref="TlsCertificateProvider"/> as
    /// <see cref="ITlsCertificateSource"/>. An <see cref="ICredentialStore"/> or <see cref="TimeProvider"/>
    /// registered before or after this call wins over the fallbacks added here (Relay:Users,
    /// TimeProvider.System), and so does an <see cref="IRealmDirectory"/> (fallback: Relay:DefaultRealm, Relay:Users' realms,
    /// Relay:AddressRealms, Relay:OriginRealms, Relay:HostNameRealms, Relay:RealmSharedSecrets); <see cref="IRealmPolicyStore"/> and <see cref="IRelayEventSink"/>s are optional.
    /// </summary>
    /// <remarks>
    /// Also registers <see cref="IRelayStatus"/>: bound listeners, readiness and traffic totals; and
    /// <see cref="IRelayLimits"/>: the server's quotas, the ceiling of every realm's; and <see cref="IAlternateServerDirectory"/> from
    /// Relay:AlternateServers unless one is registered before this call (a later one must replace it). An optional
    /// <see cref="IClusterUserCounts"/> makes the user quota cluster-wide.
    /// </remarks>
    public static IServiceCollection AddTurnRelay(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // The peer policy and TLS options bind from IConfiguration in the container; hosts register it.
        services.TryAddSingleton(configuration);
        services.AddRelayOptions(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICredentialStore, ConfigurationCredentialStore>();
        // Realms from configuration; a host with a realm store (Admin.Data) registers its own directory instead.
        services.TryAddSingleton<IRealmDirectory, ConfiguredRealmDirectory>();
        // Where a draining or full node sends a new Allocate (300): Relay:AlternateServers; turnstone serve registers the node registry's.
        services.TryAddSingleton<IAlternateServerDirectory, ConfiguredAlternateServerDirectory>();
        // The full peer policy (Relay:AllowLoopbackPeers, Relay:DenyPrivatePeers, realm ranges) and the
        // TLS certificate (configured PEM files or a generated self-signed one).
        services.AddPeerPolicy();
        services.AddRelayTlsCertificate();
        // The I/O model (Linux event loops or portable async sockets), chosen once; it binds the relay sockets too.
        services.TryAddSingleton(sp => SocketTransportFactory.Create(sp.GetRequiredService<IOptions<RelayOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<IRelaySocketFactory>(sp => sp.GetRequiredService<ISocketTransport>());
        services.TryAddSingleton(sp => new RelayMetrics(sp.GetService<IMeterFactory>() ?? new StandaloneMeterFactory()));
        services.TryAddSingleton(sp => new RelayEngine(
            sp.GetRequiredService<IOptions<RelayOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ICredentialStore>(),
            sp.GetRequiredService<IPeerPolicy>(),
            sp.GetRequiredService<IRelaySocketFactory>(),
            sp.GetServices<IRelayEventSink>(),
            sp.GetRequiredService<RelayMetrics>(),
            sp.GetRequiredService<ILogger<RelayEngine>>(),
            sp.GetService<IRealmPolicyStore>(),
            sp.GetService<IUserHashResolver>() ?? sp.GetRequiredService<ICredentialStore>() as IUserHashResolver,
            sp.GetRequiredService<IRealmDirectory>(),
            sp.GetService<RelaySelfAddresses>(),
            sp.GetService<IAlternateServerDirectory>(),
            sp.GetService<IClusterUserCounts>()));
        services.TryAddSingleton<IRelayState>(sp => sp.GetRequiredService<RelayEngine>().State);
        services.TryAddSingleton<IRelayControl>(sp => sp.GetRequiredService<RelayEngine>().Control);
        services.TryAddSingleton(sp => new RelayHostedService(
            sp.GetRequiredService<RelayEngine>(),
            sp.GetRequiredService<IOptions<RelayOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ITlsCertificateSource>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<ISocketTransport>(),
            sp.GetRequiredService<RelayMetrics>()));
        services.AddHostedService(sp => sp.GetRequiredService<RelayHostedService>());
        services.TryAddSingleton<IRelayLimits, RelayLimits>();
        services.TryAddSingleton<IRelayStatus>(sp => new RelayStatus(sp.GetRequiredService<RelayHostedService>(), sp.GetRequiredService<RelayEngine>()));
        return services;
    }

    /// <summary>As <see cref="AddTurnRelay(IServiceCollection, IConfiguration)"/> on a host builder.</summary>
    public static IHostApplicationBuilder AddTurnRelay(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTurnRelay(builder.Configuration);
        return builder;
    }
}
