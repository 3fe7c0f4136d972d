using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Data.Quotas;

public static class ClusterQuotaServiceCollectionExtensions
{
    /// <summary>
    /// The cluster-wide user quota: options from section "ClusterQuota" (validated at start) and, when enabled,
    /// <see cref="ClusterUserCountStore"/> as the relay's <see cref="IClusterUserCounts"/> with its
    /// <see cref="ClusterUserCountSync"/>. Register before the relay engine is first resolved. Needs
    /// <see cref="AdminDataServiceCollectionExtensions.AddAdminData"/> and the Usage options (the node name).
    /// </summary>
    public static IServiceCollection AddClusterQuota(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ClusterQuotaOptions>().BindConfiguration(ClusterQuotaOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterQuotaOptions>, ClusterQuotaOptionsValidator>());
        if (!configuration.GetValue($"{ClusterQuotaOptions.Section}:{nameof(ClusterQuotaOptions.Enabled)}", true)) return services;
        services.TryAddSingleton<ClusterUserCountStore>();
        services.TryAddSingleton<IClusterUserCounts>(sp => sp.GetRequiredService<ClusterUserCountStore>());
        services.AddHostedService<ClusterUserCountSync>();
        return services;
    }
}
