using Admin.Data;
using Admin.Data.Administration;
using Admin.Web.Auth;
using Admin.Web.Hosting;

namespace Admin.Web.Cli;

/// <summary>
/// The services a database verb uses, configured like <c>serve</c> (appsettings.json, environment,
/// command-line overrides) but without listeners, hosted services or console logging.
/// </summary>
public sealed class CliServices : IAsyncDisposable
{
    private readonly IHost _host;

    private CliServices(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Builds the services and checks that the database is reachable and migrated.</summary>
    /// <param name="requireSchema">False for <c>migrate</c>, which brings the schema up to date itself.</param>
    public static async Task<CliServices> OpenAsync(CliContext context, bool requireSchema, CancellationToken cancellationToken)
    {
        var options = TurnstoneHost.CreateOptions(context.ConfigurationArgs);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = options.Args,
            ApplicationName = options.ApplicationName,
            ContentRootPath = options.ContentRootPath,
        });
        // The verbs print their own one-line results and errors.
        builder.Logging.ClearProviders();
        try
        {
            builder.Services.AddAdminData(builder.Configuration);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(e.Message, ExitCodes.Configuration);
        }
        builder.Services.AddSingleton<IAdminPasswordHasher, AdminPasswordHasher>();

        var services = new CliServices(builder.Build());
        var ready = false;
        try
        {
            var migrator = services.Get<DatabaseMigrator>();
            await migrator.EnsureReachableAsync(cancellationToken);
            if (requireSchema)
            {
                var pending = await migrator.GetPendingMigrationsAsync(cancellationToken);
                if (pending.Count > 0)
                {
                    throw new CliException(
                        $"the database schema is not up to date ({pending.Count} migration(s) pending): run 'turnstone migrate' (or 'turnstone serve') first",
                        ExitCodes.DatabaseUnavailable);
                }
            }
            ready = true;
            return services;
        }
        finally
        {
            if (!ready) await services.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
        else _host.Dispose();
    }
}
