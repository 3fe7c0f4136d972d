using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Admin.Data.Quotas;

/// <summary>
/// Keeps <see cref="ClusterUserCountStore"/> in step with PostgreSQL: clears this node's rows from an earlier run at
/// start; then writes this node's changed counts when they change (at most one write per ClusterQuota:WriteInterval,
/// carrying every change made meanwhile), and every ClusterQuota:RefreshInterval writes
/// the heartbeat and re-reads the other nodes' sums; on a clean stop deletes its rows and heartbeat (its allocations end
/// with it). While the database is down it keeps trying; the engine meanwhile counts the last figures it had.
/// </summary>
public sealed class ClusterUserCountSync(ClusterUserCountStore store, IOptions<ClusterQuotaOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RefreshInterval;
        var writeSpacing = options.Value.WriteInterval;
        var started = false;
        var nextRefresh = time.GetTimestamp();
        var lastWrite = long.MinValue;
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
                    // Changes that come while this waits join the same write.
                    if (lastWrite != long.MinValue && time.GetElapsedTime(lastWrite) is var since && since < writeSpacing)
                        await Task.Delay(writeSpacing - since, time, stoppingToken);
                    if (await store.FlushAsync(stoppingToken)) lastWrite = time.GetTimestamp();
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
