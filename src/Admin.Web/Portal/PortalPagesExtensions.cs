using Admin.Web.Api.IceServers;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Admin.Web.Portal;

/// <summary>Services and endpoints of the portal's management pages (realms, users, secrets, peer rules, admins, audit).</summary>
public static class PortalPagesExtensions
{
    public static IServiceCollection AddPortalPages(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<PortalActor>();
        services.TryAddSingleton<AddressRealms>();
        services.TryAddSingleton<TrustedCertificates>();
        services.AddSingleton<RealmReachability>();
        services.AddSingleton<ServerFacts>();
        services.AddSingleton<IceTestCredentials>();
        return services;
    }

    public static WebApplication MapPortalPages(this WebApplication app)
    {
        app.MapUserExport();
        return app;
    }
}
