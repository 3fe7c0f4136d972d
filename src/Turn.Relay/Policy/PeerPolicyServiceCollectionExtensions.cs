using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.TryAddSingleton<PeerPolicy>();
        services.RemoveAll<IPeerPolicy>();
        services.AddSingleton<IPeerPolicy>(sp => sp.GetRequiredService<PeerPolicy>());
        return services;
    }
}
