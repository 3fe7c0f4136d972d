using System.Net.Sockets;
using Turn.Protocol;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// A relay socket on the Linux path: a <see cref="SocketEventLoop"/> thread reads it (recvmmsg) and
/// hands each datagram to the allocation right there; sends go out with a non-blocking sendto.
/// </summary>
internal sealed class LinuxRelaySocket : UdpRelaySocket, IDatagramEventTarget
{
    private readonly SafeSocketHandle _handle;
    private readonly SocketEventLoopGroup _loops;
    private IPeerDatagramReceiver? _receiver;
    private SocketEventRegistration? _registration;

    private LinuxRelaySocket(Socket socket, TransportAddress local, SocketEventLoopGroup loops) : base(socket, local)
    {
        _handle = socket.SafeHandle;
        _loops = loops;
    }

    public static LinuxRelaySocket? TryBind(in TransportAddress local, SocketEventLoopGroup loops) =>
        TryBindSocket(local, out var bound) is { } socket ? new LinuxRelaySocket(socket, bound, loops) : null;

    public override bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress peer) => LinuxDatagramSender.SendTo(_handle, datagram, peer);

    protected override void StartReceiving(IPeerDatagramReceiver receiver)
    {
        _receiver = receiver;
        _registration = _loops.Register(Socket, this);
    }

    void IDatagramEventTarget.OnDatagram(Span<byte> buffer, int length, in TransportAddress from, in TransportAddress to) =>
        _receiver!.OnPeerDatagram(buffer, length, from);

    // The registration goes before the socket closes: closing a registered descriptor would leave it to the kernel.
    protected override void StopReceiving() => _registration?.Dispose();
}
