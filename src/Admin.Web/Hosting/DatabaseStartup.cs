using Admin.Data;
using Admin.Web.Auth;

namespace Admin.Web.Hosting;

/// <summary>
/// At start of <c>serve</c>: applies migrations, then creates the first admin if there is none.
/// The serve verb runs it before the host starts so a database failure becomes one clear line;
/// as a hosted service it also runs when a test host starts the app, and then only once.
/// </summary>
public sealed class DatabaseStartup(DatabaseMigrator migrator, AdminBootstrapper bootstrapper) : IHostedService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _done;

    /// <summary>Where the generated admin password is printed; the process's stdout unless the CLI says otherwise.</summary>
    public TextWriter Console { get; set; } = System.Console.Out;

    /// <exception cref="DatabaseUnavailableException">PostgreSQL cannot be reached.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_done) return;
            await migrator.MigrateAsync(cancellationToken);
            await bootstrapper.EnsureAdminAsync(Console, cancellationToken);
            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
