using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Turn.Relay.Tls;

internal static class TlsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TlsCertificateProvider"/> as the engine's <see cref="ITlsCertificateSource"/>,
    /// replacing the in-memory fallback AddTurnRelay adds (call before or after it), with its options
    /// bound from the "Relay" section and validated at start (half-configured or missing files stop start-up).
    /// </summary>
    public static IServiceCollection AddRelayTlsCertificate(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRelayOptions();
        services.TryAddSingleton<TlsCertificateProvider>();
        services.RemoveAll<ITlsCertificateSource>();
        services.AddSingleton<ITlsCertificateSource>(sp => sp.GetRequiredService<TlsCertificateProvider>());
        return services;
    }
}
