using Admin.Data.Exports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Data.Usage;

public static class UsageServiceCollectionExtensions
{
    /// <summary>
    /// Usage history: options from section "Usage" (validated at start), <see cref="UsageRecorder"/> as an
    /// <see cref="IRelayEventSink"/> with its sampling/writing service, the compaction service and
    /// <see cref="UsageReports"/> with the CSV <see cref="UsageExport"/>. Needs <see cref="AdminDataServiceCollectionExtensions.AddAdminData"/> and the relay
    /// (<see cref="IRelayState"/>) to run.
    /// </summary>
    public static IServiceCollection AddUsageHistory(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UsageOptions>, UsageOptionsValidator>());
        services.TryAddSingleton<UsageRecorder>();
        services.AddSingleton<IRelayEventSink>(sp => sp.GetRequiredService<UsageRecorder>());
        services.AddHostedService<UsageRecorderService>();
        services.TryAddSingleton<UsageCompactor>();
        services.AddHostedService<UsageCompactionService>();
        services.TryAddSingleton<UsageReports>();
        services.TryAddSingleton<UsageBilling>();
        services.TryAddSingleton<UsageExport>();
        return services;
    }
}
