using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Transports.Linux;

namespace Turn.Relay.Transports;

/// <summary>Binds real UDP relay sockets, served by the UDP event loops where they are enabled.</summary>
internal sealed class UdpRelaySocketFactory(ILogger<UdpRelaySocketFactory> logger, SocketEventLoopGroup? loops = null) : IRelaySocketFactory
{
    public IRelaySocket? TryBind(in TransportAddress local) => UdpRelaySocket.TryBind(local, logger, loops);
}
