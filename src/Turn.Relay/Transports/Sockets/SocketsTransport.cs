using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports.Sockets;

/// <summary>
/// The portable I/O model (any platform, or Relay:LinuxFastPath false): .NET async sockets, one
/// receive loop per UDP socket and per stream connection, every stream send through its queue.
/// </summary>
internal sealed class SocketsTransport(ILoggerFactory loggerFactory) : ISocketTransport
{
    private readonly ILogger _listenerLogger = loggerFactory.CreateLogger<UdpListener>();
    private readonly ILogger _relayLogger = loggerFactory.CreateLogger<UdpRelaySocket>();

    public string Name => "sockets";

    public UdpListener BindUdpListener(IPEndPoint endPoint, IClientMessageHandler handler, bool reusePort) =>
        new SocketsUdpListener(endPoint, handler, _listenerLogger, reusePort);

    public StreamClientConnection CreateStreamConnection(RelayTransport transport, Socket socket, Stream stream, TransportAddress remote,
        TransportAddress local, IClientMessageHandler handler, TimeProvider time, ILogger logger) =>
        new SocketsStreamConnection(transport, socket, stream, remote, local, handler, time, logger);

    public IRelaySocket? TryBind(in TransportAddress local) => SocketsRelaySocket.TryBind(local, _relayLogger);

    public void Dispose()
    {
        // Nothing of its own: each socket ends its receive loop as it closes.
    }
}
