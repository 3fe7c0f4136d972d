using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Admin.Data.Realms;

/// <summary>
/// Keeps <see cref="PostgresRealmDirectory"/> fresh: a reload every AdminData:RealmDirectoryRefreshInterval (other
/// processes' changes, coturn's tools) and one as soon as <see cref="RealmDirectorySignal"/> reports a change made here.
/// A failed reload keeps the last snapshot; the failure is logged once until a reload succeeds again.
/// </summary>
public sealed partial class RealmDirectoryRefresher(
    PostgresRealmDirectory directory, RealmDirectorySignal signal, IOptions<AdminDataOptions> options, ILogger<RealmDirectoryRefresher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var snapshot = await directory.ReloadAsync(stoppingToken);
                    if (failing) LogRecovered(logger, snapshot.Realms.Count);
                    failing = false;
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
                {
                    // A host that migrates as it starts (test hosts) may ask before the tables exist: not a failure.
                    LogNotMigrated(logger);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    if (!failing) LogReloadFailed(logger, ex);
                    failing = true;
                }
                await signal.WaitAsync(options.Value.RealmDirectoryRefreshInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 2501, Level = LogLevel.Warning, Message = "Reading the realm directory (origins, host names, realms) failed; the relay keeps the last snapshot until a reload succeeds")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Debug, Message = "The realm directory's tables do not exist yet (migrations pending); reading again at the next interval")]
    private static partial void LogNotMigrated(ILogger logger);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Information, Message = "The realm directory reloads again ({RealmCount} realms)")]
    private static partial void LogRecovered(ILogger logger, int realmCount);
}
