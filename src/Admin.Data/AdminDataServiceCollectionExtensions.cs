using Admin.Data.Administration;
using Admin.Data.Credentials;
using Admin.Data.Exports;
using Admin.Data.Realms;
using Admin.Data.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Turn.Relay.Seams;

namespace Admin.Data;

public static class AdminDataServiceCollectionExtensions
{
    public const string ConnectionStringName = "Admin";

    /// <summary>
    /// Registers the admin database (pooled <see cref="IDbContextFactory{AdminDbContext}"/>, scoped
    /// <see cref="AdminDbContext"/>, one <see cref="NpgsqlDataSource"/>), <see cref="DatabaseMigrator"/>, the
    /// administration services (admin accounts need an <see cref="IAdminPasswordHasher"/> registered by the host), the
    /// user export, and the PostgreSQL-backed <see cref="ICredentialStore"/> and
    /// <see cref="IRealmPolicyStore"/>, <see cref="IUserHashResolver"/> and <see cref="IRealmDirectory"/> (replacing any registered before;
    /// the relay's TryAdd defaults then leave them alone) with the change listener and the directory refresher that keep them fresh.
    /// </summary>
    /// <exception cref="InvalidOperationException">ConnectionStrings:Admin is missing or unparsable.</exception>
    public static IServiceCollection AddAdminData(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set. Set it in appsettings.json, in the environment " +
                $"(ConnectionStrings__{ConnectionStringName}=Host=...;Port=5432;Database=turnstone;Username=...;Password=...) " +
                $"or on the command line (--ConnectionStrings:{ConnectionStringName}=...).");
        }
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL connection string: {e.Message}", e);
        }
        if (string.IsNullOrEmpty(parsed.ApplicationName)) parsed.ApplicationName = "turnstone";

        services.AddOptions<AdminDataOptions>().Bind(configuration.GetSection(AdminDataOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminDataOptions>, AdminDataOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(parsed.ConnectionString).Build());
        services.AddPooledDbContextFactory<AdminDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.MigrationsAssembly(AdminDbContext.MigrationsAssembly)));
        // The factory itself is built at the first context (see DeferredDbContextFactory).
        services.AddSingleton(sp => new PooledDbContextFactory<AdminDbContext>(sp.GetRequiredService<DbContextOptions<AdminDbContext>>()));
        services.Replace(ServiceDescriptor.Singleton<IDbContextFactory<AdminDbContext>, DeferredDbContextFactory>());
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AdminDbContext>>().CreateDbContext());
        services.AddSingleton<DatabaseMigrator>();

        services.AddSingleton<AuditWriter>();
        services.AddSingleton<RealmDirectorySignal>();
        services.AddSingleton<RealmAdministration>();
        services.AddSingleton<RealmEntryPoints>();
        services.AddSingleton<UserAdministration>();
        services.AddSingleton<SecretAdministration>();
        services.AddSingleton<PeerRuleAdministration>();
        services.AddSingleton<AuditLogQueries>();
        // Needs an IAdminPasswordHasher from the host (Admin.Web registers its PBKDF2 one).
        services.AddSingleton<AdminAccountAdministration>();
        services.AddSingleton<ApiTokenAdministration>();
        services.AddSingleton<AdminPreferences>();
        services.AddSingleton<UserExport>();
        services.AddSingleton<Import.Coturn.CoturnImporter>();
        services.AddSingleton<UsageRollups>();

        services.AddSingleton<DatabaseOutage>();
        services.AddSingleton<CredentialCache>();
        services.AddSingleton<RevocationVerifier>();
        services.AddSingleton<ICredentialEvents>(sp => sp.GetRequiredService<RevocationVerifier>());
        services.AddHostedService(sp => sp.GetRequiredService<RevocationVerifier>());
        services.AddSingleton<PostgresCredentialStore>();
        services.AddSingleton<PostgresRealmPolicyStore>();
        services.Replace(ServiceDescriptor.Singleton<ICredentialStore>(sp => sp.GetRequiredService<PostgresCredentialStore>()));
        services.Replace(ServiceDescriptor.Singleton<IRealmPolicyStore>(sp => sp.GetRequiredService<PostgresRealmPolicyStore>()));
        services.Replace(ServiceDescriptor.Singleton<IUserHashResolver>(sp => sp.GetRequiredService<PostgresCredentialStore>()));
        // The relay's realm selection (ORIGIN, SNI) and REST user names' @realm read this snapshot; it replaces the
        // engine's configuration-only default. Relay:DefaultRealm always exists, whether registered or not.
        var defaultRealm = configuration["Relay:DefaultRealm"];
        services.AddSingleton(sp => new PostgresRealmDirectory(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>(), string.IsNullOrWhiteSpace(defaultRealm) ? "turnstone" : defaultRealm));
        services.Replace(ServiceDescriptor.Singleton<IRealmDirectory>(sp => sp.GetRequiredService<PostgresRealmDirectory>()));
        services.AddHostedService<RealmDirectoryRefresher>();
        var listenerConnection = new NpgsqlConnectionStringBuilder(parsed.ConnectionString)
        {
            ApplicationName = ChangeListener.ApplicationName,
            Pooling = false,
            KeepAlive = ChangeListener.KeepAliveSeconds,
        };
        services.AddKeyedSingleton(ChangeListener.DataSourceKey, (_, _) => new NpgsqlDataSourceBuilder(listenerConnection.ConnectionString).Build());
        services.AddHostedService<ChangeListener>();

        return services;
    }
}
