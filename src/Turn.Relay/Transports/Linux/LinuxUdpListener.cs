using System.Net;
using System.Net.Sockets;
using Turn.Protocol;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// The client-facing UDP socket on the Linux path: a <see cref="SocketEventLoop"/> thread reads it
/// (recvmmsg, with each datagram's destination on a wildcard socket) and hands each datagram to the
/// engine right there; replies go out with a non-blocking sendto from the calling thread, or sendmsg
/// with IP_PKTINFO naming the address the client reached.
/// </summary>
internal sealed class LinuxUdpListener : UdpListener, IDatagramEventTarget
{
    private readonly SafeSocketHandle _handle;
    private readonly SocketEventLoopGroup _loops;
    private SocketEventRegistration? _registration;

    public LinuxUdpListener(IPEndPoint endPoint, IClientMessageHandler handler, bool reusePort, SocketEventLoopGroup loops)
        : base(endPoint, handler, reusePort)
    {
        _handle = Socket.SafeHandle;
        _loops = loops;
    }

    public override void Start() => _registration = _loops.Register(Socket, this);

    void IDatagramEventTarget.OnDatagram(Span<byte> buffer, int length, in TransportAddress from, in TransportAddress to)
    {
        if (EndpointFor(to) is { } endpoint) Handler.OnDatagram(endpoint, from, buffer.Slice(PeerDatagramLayout.Headroom, length));
    }

    public override bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress remote, UdpLocalEndpoint from) =>
        from.HasSource ? LinuxDatagramSender.SendFrom(_handle, datagram, remote, from.Source) : LinuxDatagramSender.SendTo(_handle, datagram, remote);

    // The registration goes before the socket closes: closing a registered descriptor would leave it to the kernel.
    protected override void StopReceiving() => _registration?.Dispose();
}
