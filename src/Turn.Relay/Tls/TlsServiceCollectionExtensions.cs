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
    /// bound from the "Relay" section and validated at start (half-configured or missing files stop start-up); also as
    /// <see cref="ITlsCertificateStatus"/>, with the <see cref="TlsCertificateReloader"/> that reloads its files.
    /// </summary>
    public static IServiceCollection AddRelayTlsCertificate(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRelayOptions();
        services.TryAddSingleton<TlsCertificateProvider>();
        services.RemoveAll<ITlsCertificateSource>();
        services.AddSingleton<ITlsCertificateSource>(sp => sp.GetRequiredService<TlsCertificateProvider>());
        // What the portal reads: the certificates presented now (empty when TLS is off).
        services.TryAddSingleton<ITlsCertificateStatus>(sp => sp.GetRequiredService<TlsCertificateProvider>());
        // Reload on file change and on SIGHUP.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, TlsCertificateReloader>());
        return services;
    }
}
