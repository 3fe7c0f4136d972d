using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Data.Usage;

/// <summary>
/// Drives <see cref="UsageRecorder"/>: every Usage:FlushInterval it samples the relay's live state and writes the
/// changed minutes; a failed write is retried on the next tick with everything that piled up meanwhile. On stop it
/// samples and writes once more, so a clean shutdown loses nothing.
/// </summary>
public sealed class UsageRecorderService(UsageRecorder recorder, IRelayState state, IOptions<UsageOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        var interval = options.Value.FlushInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken);
                recorder.Sample(state.GetSnapshot());
                await recorder.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the final flush follows in StopAsync.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!options.Value.Enabled) return;
        recorder.Sample(state.GetSnapshot());
        await recorder.FlushAsync(cancellationToken);
    }
}
