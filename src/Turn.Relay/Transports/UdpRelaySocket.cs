using System.Net;
using System.Net.Sockets;
using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>
/// A relay socket on a real UDP port, whatever reads it: binding, DF, and starting against
/// disposing. The I/O model (<c>Sockets/</c>, <c>Linux/</c>) receives into a buffer laid out by
/// <see cref="PeerDatagramLayout"/> and sends; either way nothing is allocated per datagram.
/// </summary>
internal abstract class UdpRelaySocket : IRelaySocket
{
    // Start against Dispose (control path, once each): a socket deleted before it started (a TCP
    // client gone right after its Allocate) must not start receiving after it was closed.
    private readonly Lock _lifecycle = new();
    private bool _disposed;
    private bool _started;

    protected UdpRelaySocket(Socket socket, TransportAddress local)
    {
        Socket = socket;
        LocalAddress = local;
    }

    public TransportAddress LocalAddress { get; }

    protected Socket Socket { get; }

    /// <summary>A socket bound to <paramref name="local"/> (port 0: any), or null when the port is taken.</summary>
    protected static Socket? TryBindSocket(in TransportAddress local, out TransportAddress bound)
    {
        var family = local.IsIPv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (family == AddressFamily.InterNetworkV6) socket.DualMode = false;
            socket.Bind(local.ToIPEndPoint());
            bound = TransportAddress.FromIPEndPoint((IPEndPoint)socket.LocalEndPoint!);
            return socket;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            socket.Dispose();
            bound = default;
            return null;
        }
    }

    public abstract bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress peer);

    public bool TrySetDontFragment(bool value)
    {
        try
        {
            if (Socket.AddressFamily != AddressFamily.InterNetwork) return false;
            Socket.DontFragment = value;
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    public void Start(IPeerDatagramReceiver receiver)
    {
        lock (_lifecycle)
        {
            if (_started) throw new InvalidOperationException("Already started.");
            _started = true;
            if (_disposed) return;
            StartReceiving(receiver);
        }
    }

    /// <summary>Called once, under the lifecycle lock, unless the socket was disposed first.</summary>
    protected abstract void StartReceiving(IPeerDatagramReceiver receiver);

    /// <summary>Stops receiving before the socket closes (a loop must let go of its descriptor first).</summary>
    protected abstract void StopReceiving();

    /// <summary>After the socket closed.</summary>
    protected virtual void OnClosed()
    {
    }

    public void Dispose()
    {
        lock (_lifecycle)
        {
            if (_disposed) return;
            _disposed = true;
        }
        StopReceiving();
        Socket.Dispose();
        OnClosed();
    }
}
