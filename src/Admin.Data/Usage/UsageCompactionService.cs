using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Admin.Data.Usage;

/// <summary>Runs <see cref="UsageCompactor"/> every Usage:CompactionInterval; a failure (database away) waits for the next round.</summary>
public sealed partial class UsageCompactionService(UsageCompactor compactor, IOptions<UsageOptions> options, TimeProvider time, ILogger<UsageCompactionService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        try
        {
            // Not at once: at start the database is still being migrated.
            await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await compactor.CompactAsync(time.GetUtcNow(), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCompactionFailed(logger, ex);
                }
                await Task.Delay(options.Value.CompactionInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "Usage compaction failed; trying again next round")]
    private static partial void LogCompactionFailed(ILogger logger, Exception exception);
}
