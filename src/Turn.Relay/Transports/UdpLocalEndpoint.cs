using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>
/// One local address of a <see cref="UdpListener"/>, as its clients see it: a socket bound to one
/// address has one, a wildcard socket (0.0.0.0, ::) one per local address its clients reached.
/// Each has its own <see cref="LocalId"/>, so the same client port reaching two addresses is two
/// 5-tuples, and replies leave from the address the client reached.
/// </summary>
internal sealed class UdpLocalEndpoint : IDatagramEndpoint
{
    private readonly UdpListener _listener;

    /// <param name="listener">The socket that receives and sends.</param>
    /// <param name="localAddress">The address (and the listener's port) clients reached.</param>
    /// <param name="source">The address replies must name as their source (as the socket's family writes it); default = the kernel's choice.</param>
    public UdpLocalEndpoint(UdpListener listener, TransportAddress localAddress, TransportAddress source)
    {
        _listener = listener;
        // A dual-stack socket would report IPv4 clients as ::ffff:a.b.c.d: the 5-tuple and the relay
        // are IPv4 then, while the reply still names the source the socket's way.
        LocalAddress = localAddress.Canonicalize();
        Source = source;
        LocalId = ClientConnection.NewLocalId();
    }

    public int LocalId { get; }

    public TransportAddress LocalAddress { get; }

    /// <summary>The source address replies carry (IP_PKTINFO); default when the socket is bound to one address.</summary>
    public TransportAddress Source { get; }

    public bool HasSource => Source.Family != StunAddressFamily.None;

    public ClientConnection CreateConnection(in TransportAddress remote) => new UdpClientConnection(this, remote);

    /// <summary>Sends one datagram to <paramref name="remote"/> from this address; false when dropped. Never blocks.</summary>
    public bool Send(ReadOnlySpan<byte> datagram, in TransportAddress remote) => _listener.SendTo(datagram, remote, this);
}
