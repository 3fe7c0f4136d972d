using System.Net;
using System.Net.Sockets;
using Turn.Protocol;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// The client-facing UDP socket on the Linux path: a <see cref="SocketEventLoop"/> thread reads it
/// (recvmmsg) and hands each datagram to the engine right there; replies go out with a non-blocking
/// sendto from the calling thread.
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

    void IDatagramEventTarget.OnDatagram(Span<byte> buffer, int length, in TransportAddress from) =>
        Handler.OnDatagram(this, from, buffer.Slice(PeerDatagramLayout.Headroom, length));

    public override bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress remote) => LinuxDatagramSender.SendTo(_handle, datagram, remote);

    // The registration goes before the socket closes: closing a registered descriptor would leave it to the kernel.
    protected override void StopReceiving() => _registration?.Dispose();
}
