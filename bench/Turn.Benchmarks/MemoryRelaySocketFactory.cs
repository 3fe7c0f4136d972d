using Turn.Protocol;
using Turn.Relay.Transports;

namespace Turn.Benchmarks;

/// <summary>Relay sockets without a network; the benchmark uses the one allocation's socket.</summary>
internal sealed class MemoryRelaySocketFactory : IRelaySocketFactory
{
    private readonly List<MemoryRelaySocket> _bound = [];

    public MemoryRelaySocket Single => _bound.Count == 1 ? _bound[0] : throw new InvalidOperationException($"{_bound.Count} relay sockets bound, expected 1.");

    public IRelaySocket? TryBind(in TransportAddress local)
    {
        var socket = new MemoryRelaySocket(local);
        _bound.Add(socket);
        return socket;
    }
}
