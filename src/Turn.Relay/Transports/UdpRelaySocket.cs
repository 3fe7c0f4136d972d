using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Transports.Linux;

namespace Turn.Relay.Transports;

/// <summary>
/// A relay socket on a real UDP port. On Linux a <see cref="SocketEventLoop"/> thread reads it and
/// sends go out with a non-blocking sendto; elsewhere one async receive loop with a pinned buffer
/// and a reused <see cref="SocketAddress"/>. Either way nothing is allocated per datagram.
/// </summary>
internal sealed partial class UdpRelaySocket : IRelaySocket, IDatagramEventTarget
{
    [ThreadStatic] private static SocketAddress? t_sendV4;
    [ThreadStatic] private static SocketAddress? t_sendV6;

    private readonly Socket _socket;
    private readonly SafeSocketHandle _handle;
    private readonly SocketEventLoopGroup? _loops;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private IPeerDatagramReceiver? _receiver;
    private SocketEventRegistration? _registration;
    // Start against Dispose (control path, once each): a socket deleted before it started (a TCP
    // client gone right after its Allocate) must not be registered after it was closed.
    private readonly Lock _lifecycle = new();
    private bool _disposed;
    private bool _started;

    private UdpRelaySocket(Socket socket, TransportAddress local, ILogger logger, SocketEventLoopGroup? loops)
    {
        _socket = socket;
        _handle = socket.SafeHandle;
        LocalAddress = local;
        _logger = logger;
        _loops = loops is { IsEnabled: true } ? loops : null;
    }

    public TransportAddress LocalAddress { get; }

    public static UdpRelaySocket? TryBind(in TransportAddress local, ILogger logger, SocketEventLoopGroup? loops = null)
    {
        var family = local.IsIPv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (family == AddressFamily.InterNetworkV6) socket.DualMode = false;
            socket.Bind(local.ToIPEndPoint());
            var bound = TransportAddress.FromIPEndPoint((IPEndPoint)socket.LocalEndPoint!);
            return new UdpRelaySocket(socket, bound, logger, loops);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            socket.Dispose();
            return null;
        }
    }

    public bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress peer)
    {
        if (_loops is not null) return LinuxDatagramSender.SendTo(_handle, datagram, peer);
        var address = peer.IsIPv4
            ? t_sendV4 ??= new SocketAddress(AddressFamily.InterNetwork)
            : t_sendV6 ??= new SocketAddress(AddressFamily.InterNetworkV6);
        if (!peer.TryWriteTo(address)) return false;
        try
        {
            return _socket.SendTo(datagram, SocketFlags.None, address) == datagram.Length;
        }
        catch (SocketException)
        {
            // ICMP errors surface here (e.g. connection refused from an earlier datagram) and a full
            // send buffer as WouldBlock: the datagram is lost, as UDP allows; the caller counts it.
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public bool TrySetDontFragment(bool value)
    {
        try
        {
            if (_socket.AddressFamily != AddressFamily.InterNetwork) return false;
            _socket.DontFragment = value;
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
            if (_loops is not null)
            {
                _receiver = receiver;
                _registration = _loops.Register(_socket, this);
            }
            else
            {
                _ = ReceiveLoopAsync(receiver);
            }
        }
    }

    void IDatagramEventTarget.OnDatagram(Span<byte> buffer, int length, in TransportAddress from) =>
        _receiver!.OnPeerDatagram(buffer, length, from);

    private async Task ReceiveLoopAsync(IPeerDatagramReceiver receiver)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(PeerDatagramLayout.BufferSize, pinned: true);
        var memory = buffer.AsMemory(PeerDatagramLayout.Headroom, PeerDatagramLayout.MaxPayload);
        var from = new SocketAddress(_socket.AddressFamily);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(memory, SocketFlags.None, from, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize
                or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.ConnectionRefused)
            {
                // ICMP feedback from an earlier send, or an oversized datagram: skip it.
                continue;
            }
            catch (SocketException ex)
            {
                LogReceiveFailed(_logger, LocalAddress.ToString(), ex.SocketErrorCode);
                return;
            }
            if (!TransportAddress.TryFromSocketAddress(from, out var peer)) continue;
            try
            {
                receiver.OnPeerDatagram(buffer, received, peer);
            }
            catch (Exception ex)
            {
                // A bug in handling one datagram must not stop the loop for everyone else.
                LogHandlerFailed(_logger, LocalAddress.ToString(), ex);
            }
        }
    }

    public void Dispose()
    {
        SocketEventRegistration? registration;
        lock (_lifecycle)
        {
            if (_disposed) return;
            _disposed = true;
            registration = _registration;
        }
        _stop.Cancel();
        registration?.Dispose();
        _socket.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Relay socket {Address} stopped receiving: {Error}")]
    private static partial void LogReceiveFailed(ILogger logger, string address, SocketError error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Handling a datagram on {Address} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string address, Exception exception);
}
