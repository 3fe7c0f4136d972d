using Microsoft.Extensions.Logging;
using Turn.Relay.Allocations;
using Turn.Relay.Requests;
using Turn.Relay.Seams;

namespace Turn.Relay.Engine;

/// <summary>
/// Hands lifecycle events (never per packet) to every <see cref="IRelayEventSink"/>; a sink that
/// throws is logged and the others still get the event.
/// </summary>
internal sealed partial class RelayEventPublisher(IEnumerable<IRelayEventSink> sinks, TimeProvider time, ILogger logger)
{
    private readonly IRelayEventSink[] _sinks = [.. sinks];

    /// <summary>An event about <paramref name="allocation"/>, or, before there is one, about the request in <paramref name="context"/>.</summary>
    public void Raise(RelayEventKind kind, Allocation? allocation, RequestContext? context, string? reason)
    {
        if (_sinks.Length == 0) return;
        var relayEvent = new RelayEvent(
            kind,
            time.GetUtcNow(),
            allocation?.Id ?? "",
            allocation?.Username ?? context?.Username ?? "",
            allocation?.Realm ?? context?.TenantRealm ?? "",
            (allocation?.Client ?? context?.Connection)?.RemoteEndPoint,
            (allocation?.Client ?? context?.Connection)?.Transport ?? RelayTransport.Udp,
            reason,
            allocation is null ? 0 : Volatile.Read(ref allocation.BytesFromClient),
            allocation is null ? 0 : Volatile.Read(ref allocation.BytesToClient),
            allocation is null ? 0 : Volatile.Read(ref allocation.PacketsFromClient),
            allocation is null ? 0 : Volatile.Read(ref allocation.PacketsToClient));
        foreach (var sink in _sinks)
        {
            try
            {
                sink.OnEvent(relayEvent);
            }
            catch (Exception ex)
            {
                // A faulty sink must not break the engine; it is told once per event, not per packet.
                LogSinkFailed(logger, sink.GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(EventId = 1403, Level = LogLevel.Error, Message = "Relay event sink {Sink} failed")]
    private static partial void LogSinkFailed(ILogger logger, string sink, Exception exception);
}
