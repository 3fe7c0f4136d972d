using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Turnstone.RelayHost;

/// <summary>
/// Logs the relay's packet totals (relayed and dropped, each direction) when the host stops, read
/// from the engine's own instruments, so bench/run.sh can tell server drops from network drops.
/// Registered after the relay, so it stops first, while the engine still counts.
/// </summary>
internal sealed partial class RelayTotalsReporter(ILogger<RelayTotalsReporter> logger) : IHostedService
{
    private const string MeterName = "Turnstone.Relay";

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        long toPeer = 0, toClient = 0, droppedToPeer = 0, droppedToClient = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name is "turn.relay.packets" or "turn.relay.dropped")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var toPeerDirection = false;
            foreach (var tag in tags)
            {
                if (tag.Key == "direction") toPeerDirection = Equals(tag.Value, "to_peer");
            }
            if (instrument.Name == "turn.relay.packets")
            {
                if (toPeerDirection) toPeer += value;
                else toClient += value;
            }
            else if (toPeerDirection)
            {
                droppedToPeer += value;
            }
            else
            {
                droppedToClient += value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        LogTotals(logger, toPeer, droppedToPeer, toClient, droppedToClient);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information,
        Message = "Relay totals: to_peer={ToPeer} dropped_to_peer={DroppedToPeer} to_client={ToClient} dropped_to_client={DroppedToClient}")]
    private static partial void LogTotals(ILogger logger, long toPeer, long droppedToPeer, long toClient, long droppedToClient);
}
