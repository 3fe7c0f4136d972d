using Turn.Protocol;
using Turn.Relay.Transports;

namespace Turn.Benchmarks;

/// <summary>Relay sockets without a network; the data-path benchmark uses the one allocation's socket.</summary>
internal sealed class MemoryRelaySocketFactory : IRelaySocketFactory
{
    private MemoryRelaySocket? _last;

    /// <summary>Relay sockets bound so far (the session benchmark binds one per session).</summary>
    public int Bound { get; private set; }

    public MemoryRelaySocket Single => Bound == 1 ? _last! : throw new InvalidOperationException($"{Bound} relay sockets bound, expected 1.");

    public IRelaySocket? TryBind(in TransportAddress local)
    {
        _last = new MemoryRelaySocket(local);
        Bound++;
        return _last;
    }
}
