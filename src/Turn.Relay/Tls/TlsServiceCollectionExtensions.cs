using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Turn.Relay.Tls;

public static class TlsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TlsCertificateProvider"/> with its options bound from the "Relay"
    /// section and validated at start (half-configured or missing files stop start-up).
    /// </summary>
    public static IServiceCollection AddRelayTlsCertificate(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TlsCertificateOptions>().BindConfiguration(TlsCertificateOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TlsCertificateOptions>, TlsCertificateOptionsValidator>());
        services.TryAddSingleton<TlsCertificateProvider>();
        return services;
    }
}
