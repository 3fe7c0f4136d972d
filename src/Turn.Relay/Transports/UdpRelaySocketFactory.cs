using Microsoft.Extensions.Logging;
using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>Binds real UDP relay sockets.</summary>
internal sealed class UdpRelaySocketFactory(ILogger<UdpRelaySocketFactory> logger) : IRelaySocketFactory
{
    public IRelaySocket? TryBind(in TransportAddress local) => UdpRelaySocket.TryBind(local, logger);
}
