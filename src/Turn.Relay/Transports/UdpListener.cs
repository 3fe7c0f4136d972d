using System.Net;
using System.Net.Sockets;
using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>
/// The client-facing UDP socket, whatever reads it: binds it (large kernel buffers, optionally
/// SO_REUSEPORT) and names the local part of its clients' 5-tuples. The I/O model (<c>Sockets/</c>,
/// <c>Linux/</c>) receives and sends; either way a datagram costs no allocation, and one reader per
/// socket keeps each client's datagrams in order. Scaling across cores is for SO_REUSEPORT sockets
/// (the kernel keeps a client on one socket).
/// </summary>
internal abstract class UdpListener : IDatagramEndpoint, IDisposable
{
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private int _disposed;

    protected UdpListener(IPEndPoint endPoint, IClientMessageHandler handler, bool reusePort)
    {
        Handler = handler;
        Socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6) Socket.DualMode = false;
            // Bursts from many clients land in the kernel buffer while a loop is busy.
            Socket.ReceiveBufferSize = 4 * 1024 * 1024;
            Socket.SendBufferSize = 4 * 1024 * 1024;
            // SO_REUSEPORT (Linux): several listeners share the port, the kernel keeps each client on one.
            if (reusePort) Socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            Socket.Bind(endPoint);
        }
        catch
        {
            Socket.Dispose();
            throw;
        }
        LocalAddress = TransportAddress.FromIPEndPoint((IPEndPoint)Socket.LocalEndPoint!);
        LocalId = ClientConnection.NewLocalId();
    }

    public int LocalId { get; }

    public TransportAddress LocalAddress { get; }

    protected Socket Socket { get; }

    protected IClientMessageHandler Handler { get; }

    /// <summary>Starts receiving: datagrams go to the engine from now on.</summary>
    public abstract void Start();

    public ClientConnection CreateConnection(in TransportAddress remote) => new UdpClientConnection(this, remote);

    /// <summary>Sends one datagram to a client from this socket; false when it was dropped. Never blocks.</summary>
    public abstract bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress remote);

    /// <summary>Stops receiving before the socket closes (a loop must let go of its descriptor first).</summary>
    protected abstract void StopReceiving();

    /// <summary>After the socket closed: waits for receiving to end.</summary>
    protected virtual void WaitStopped()
    {
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        StopReceiving();
        Socket.Dispose();
        WaitStopped();
    }
}
