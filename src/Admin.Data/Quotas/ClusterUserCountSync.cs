using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Admin.Data.Quotas;

/// <summary>
/// Keeps <see cref="ClusterUserCountStore"/> in step with PostgreSQL: clears this node's rows from an earlier run at
/// start; then writes this node's changed counts as soon as they change, and every ClusterQuota:RefreshInterval writes
/// the heartbeat and re-reads the other nodes' sums; on a clean stop deletes its rows and heartbeat (its allocations end
/// with it). While the database is down it keeps trying; the engine meanwhile counts the last figures it had.
/// </summary>
public sealed class ClusterUserCountSync(ClusterUserCountStore store, IOptions<ClusterQuotaOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RefreshInterval;
        var started = false;
        var nextRefresh = time.GetTimestamp();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (!started)
                    {
                        await store.ClearOwnRowsAsync(removeHeartbeat: false, stoppingToken);
                        started = true;
                    }
                    await store.FlushAsync(stoppingToken);
                    if (time.GetElapsedTime(nextRefresh) >= TimeSpan.Zero)
                    {
                        await store.RefreshAsync(stoppingToken);
                        nextRefresh = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    store.LogFailure(e);
                    nextRefresh = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);
                    await Task.Delay(interval, time, stoppingToken);
                    continue;
                }
                var untilRefresh = -time.GetElapsedTime(nextRefresh);
                await store.WaitForChangeAsync(untilRefresh > TimeSpan.Zero ? untilRefresh : TimeSpan.Zero, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync clears the rows.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await store.ClearOwnRowsAsync(removeHeartbeat: true, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Down database: the heartbeat ages out and the rows stop counting after ClusterQuota:NodeDownAfter.
            store.LogFailure(e);
        }
    }
}
