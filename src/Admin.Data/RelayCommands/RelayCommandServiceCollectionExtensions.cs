using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Turn.Relay.Seams;

namespace Admin.Data.RelayCommands;

public static class RelayCommandServiceCollectionExtensions
{
    /// <summary>
    /// Admins' commands to the running relay, each audited: <see cref="SessionTerminator"/>, <see cref="RelayDrain"/>
    /// and their <see cref="RelayCommandAudit"/>. Apart from <see cref="AdminDataServiceCollectionExtensions.AddAdminData"/>
    /// because they need the relay's <see cref="IRelayState"/> and <see cref="IRelayControl"/>, which only a host that
    /// runs the relay has (not the command line).
    /// </summary>
    public static IServiceCollection AddRelayCommands(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<RelayCommandAudit>();
        services.TryAddSingleton<SessionTerminator>();
        services.TryAddSingleton<RelayDrain>();
        return services;
    }
}
