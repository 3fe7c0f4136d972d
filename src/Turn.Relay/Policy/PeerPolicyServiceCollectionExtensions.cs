using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Turn.Relay.Policy;

internal static class PeerPolicyServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PeerPolicy"/> as the engine's <see cref="IPeerPolicy"/>, replacing the
    /// fallback AddTurnRelay adds (call before or after it), with Relay:AllowLoopbackPeers and
    /// Relay:DenyPrivatePeers bound from the "Relay" section. Uses the registered
    /// <see cref="IRealmPolicyStore"/> for <see cref="PeerPolicy.EvaluateAsync"/> when there is one.
    /// </summary>
    public static IServiceCollection AddPeerPolicy(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRelayOptions();
        // The relay's own addresses, from its bound listeners (read lazily: the listeners are bound after this is built).
        services.TryAddSingleton(sp => new RelaySelfAddresses(sp.GetRequiredService<IOptions<RelayOptions>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            () => sp.GetService<IRelayStatus>() is { } status ? [.. status.UdpEndPoints, .. status.TcpEndPoints, .. status.TlsEndPoints] : []));
        services.TryAddSingleton<PeerPolicy>();
        services.RemoveAll<IPeerPolicy>();
        services.AddSingleton<IPeerPolicy>(sp => sp.GetRequiredService<PeerPolicy>());
        return services;
    }
}
