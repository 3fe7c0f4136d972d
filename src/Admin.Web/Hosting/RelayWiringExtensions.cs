using Admin.Data.Quotas;
using Turn.Relay;

namespace Admin.Web.Hosting;

/// <summary>How the co-hosted relay is tied to the rest of the app (after AddTurnRelay and AddAdminData).</summary>
public static class RelayWiringExtensions
{
    public static WebApplicationBuilder AddRelayWiring(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RevocationOptions>().BindConfiguration(RevocationOptions.Section).ValidateOnStart();
        services.AddHostedService<CredentialRevocationWiring>();
        // The user quota counts the other nodes' allocations of a user (ClusterQuota:*; docs/CLUSTER-DEPLOY.md).
        services.AddClusterQuota(builder.Configuration);

        // The generated self-signed TLS certificate lives with the app's other local data, not relative to the
        // working directory, unless Relay:TlsGeneratedDirectory says where.
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{RelayOptions.SectionName}:{nameof(RelayOptions.TlsGeneratedDirectory)}"]))
        {
            var directory = Path.Combine(PortalExtensions.DataDirectory(builder.Configuration), "tls");
            services.PostConfigure<RelayOptions>(options => options.TlsGeneratedDirectory = directory);
        }
        return builder;
    }
}
