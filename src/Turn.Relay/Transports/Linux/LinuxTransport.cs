using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// The Linux I/O model (x86-64 and arm64, Relay:LinuxFastPath): a <see cref="SocketEventLoopGroup"/>
/// serves every UDP socket and plain TCP connection; sends are non-blocking calls from the caller's
/// thread, and TCP sends are joined per receive batch (<see cref="StreamSendBatch"/>). TLS runs on
/// SslStream, so TLS connections are made by the portable model it is given.
/// </summary>
internal sealed class LinuxTransport(SocketEventLoopGroup loops, ISocketTransport portable) : ISocketTransport
{
    public string Name => "linux";

    /// <summary>Event-loop threads serving the sockets.</summary>
    public int LoopCount => loops.LoopCount;

    /// <summary>The loops, for registering sockets directly (tests).</summary>
    internal SocketEventLoopGroup Loops => loops;

    public UdpListener BindUdpListener(IPEndPoint endPoint, IClientMessageHandler handler, bool reusePort) =>
        new LinuxUdpListener(endPoint, handler, reusePort, loops);

    public StreamClientConnection CreateStreamConnection(RelayTransport transport, Socket socket, Stream stream, TransportAddress remote,
        TransportAddress local, IClientMessageHandler handler, TimeProvider time, ILogger logger) =>
        transport == RelayTransport.Tcp
            ? new LinuxStreamConnection(socket, stream, remote, local, handler, time, logger, loops)
            : portable.CreateStreamConnection(transport, socket, stream, remote, local, handler, time, logger);

    public IRelaySocket? TryBind(in TransportAddress local) => LinuxRelaySocket.TryBind(local, loops);

    public void Dispose()
    {
        loops.Dispose();
        portable.Dispose();
    }
}
