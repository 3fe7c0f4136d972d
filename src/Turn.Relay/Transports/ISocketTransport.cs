using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports;

/// <summary>
/// One I/O model for every socket the relay opens: the portable .NET async sockets
/// (<c>Sockets/</c>) or the Linux event loops (<c>Linux/</c>). <see cref="SocketTransportFactory"/>
/// picks it once at start; listeners, stream connections and relay sockets are made through it, so
/// no class branches on the model. As <see cref="IRelaySocketFactory"/> it binds relay sockets.
/// </summary>
internal interface ISocketTransport : IRelaySocketFactory, IDisposable
{
    /// <summary>"sockets" or "linux".</summary>
    string Name { get; }

    /// <summary>Binds a client-facing UDP socket (not yet receiving: <see cref="UdpListener.Start"/>).</summary>
    UdpListener BindUdpListener(IPEndPoint endPoint, IClientMessageHandler handler, bool reusePort);

    /// <summary>
    /// The connection for an accepted TCP client, or a TLS one once its handshake is done
    /// (<paramref name="stream"/> is then the SslStream). Not yet running: <see cref="StreamClientConnection.RunAsync"/>.
    /// </summary>
    StreamClientConnection CreateStreamConnection(RelayTransport transport, Socket socket, Stream stream, TransportAddress remote,
        TransportAddress local, IClientMessageHandler handler, TimeProvider time, ILogger logger);
}
