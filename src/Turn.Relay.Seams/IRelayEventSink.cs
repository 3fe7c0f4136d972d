namespace Turn.Relay.Seams;

/// <summary>
/// Receives the engine's lifecycle events (never per packet). Called synchronously from the engine:
/// implementations must be quick and must not throw (queue work elsewhere). Several sinks may be
/// registered; each receives every event.
/// </summary>
public interface IRelayEventSink
{
    void OnEvent(in RelayEvent relayEvent);
}
