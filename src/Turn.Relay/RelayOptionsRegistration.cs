using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Turn.Relay;

/// <summary>
/// Binds <see cref="RelayOptions"/> to section "Relay" once, with validation at start. AddTurnRelay,
/// AddPeerPolicy and AddRelayTlsCertificate each need it and may be called in any order; binding twice
/// would append list entries (Relay:Users, Relay:ListenAddresses) a second time.
/// </summary>
internal static class RelayOptionsRegistration
{
    public static void AddRelayOptions(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var bound = services.Any(d => d.ServiceType == typeof(IValidateOptions<RelayOptions>) && d.ImplementationType == typeof(RelayOptionsValidator));
        if (bound) return;
        var builder = services.AddOptions<RelayOptions>();
        if (configuration is null) builder.BindConfiguration(RelayOptions.SectionName);
        else builder.Bind(configuration.GetSection(RelayOptions.SectionName));
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>());
    }
}
