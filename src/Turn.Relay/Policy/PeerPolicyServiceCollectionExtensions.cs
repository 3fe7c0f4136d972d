using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Turn.Relay.Policy;

public static class PeerPolicyServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PeerPolicy"/> with Relay:AllowLoopbackPeers and Relay:DenyPrivatePeers
    /// bound from the "Relay" section. It uses the registered IRealmPolicyStore when there is one.
    /// </summary>
    public static IServiceCollection AddPeerPolicy(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PeerPolicyOptions>().BindConfiguration(PeerPolicyOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton<PeerPolicy>();
        return services;
    }
}
