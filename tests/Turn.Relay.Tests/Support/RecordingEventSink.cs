using System.Collections.Concurrent;
using Turn.Relay.Seams;

namespace Turn.Relay.Tests.Support;

internal sealed class RecordingEventSink : IRelayEventSink
{
    public ConcurrentQueue<RelayEvent> Events { get; } = new();

    public void OnEvent(in RelayEvent relayEvent) => Events.Enqueue(relayEvent);

    public int Count(RelayEventKind kind) => Events.Count(e => e.Kind == kind);
}
