using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Transports.Linux;

namespace Turn.Relay.Transports;

/// <summary>
/// The client-facing UDP socket. On Linux a <see cref="SocketEventLoop"/> thread reads it (recvmmsg)
/// and replies go out with a non-blocking sendto from the calling thread; elsewhere one async
/// receive loop with a pinned buffer and a reused <see cref="SocketAddress"/>. Either way a
/// datagram costs no allocation, and one reader per socket keeps each client's datagrams in order;
/// scaling across cores is for SO_REUSEPORT sockets (the kernel keeps a client on one socket).
/// </summary>
internal sealed partial class UdpListener : IDatagramEndpoint, IDatagramEventTarget, IDisposable
{
    // STUN over UDP must fit a path MTU (RFC 8489 section 6.1); ChannelData to the relay is bounded
    // by what a peer datagram may carry. Larger datagrams are truncated by the kernel and dropped.
    private const int ReceiveBufferSize = 8_192;

    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    [ThreadStatic] private static SocketAddress? t_sendV4;
    [ThreadStatic] private static SocketAddress? t_sendV6;

    private readonly Socket _socket;
    private readonly SafeSocketHandle _handle;
    private readonly SocketEventLoopGroup? _loops;
    private readonly IClientMessageHandler _handler;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _receiveLoops = [];
    private SocketEventRegistration? _registration;
    private int _disposed;

    public UdpListener(IPEndPoint endPoint, IClientMessageHandler handler, ILogger logger, bool reusePort = false,
        SocketEventLoopGroup? loops = null)
    {
        _handler = handler;
        _loops = loops is { IsEnabled: true } ? loops : null;
        _logger = logger;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = false;
            // Bursts from many clients land in the kernel buffer while a loop is busy.
            _socket.ReceiveBufferSize = 4 * 1024 * 1024;
            _socket.SendBufferSize = 4 * 1024 * 1024;
            // SO_REUSEPORT (Linux): several listeners share the port, the kernel keeps each client on one.
            if (reusePort) _socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            _socket.Bind(endPoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        _handle = _socket.SafeHandle;
        LocalAddress = TransportAddress.FromIPEndPoint((IPEndPoint)_socket.LocalEndPoint!);
        LocalId = ClientConnection.NewLocalId();
    }

    public int LocalId { get; }

    public TransportAddress LocalAddress { get; }

    public void Start()
    {
        if (_loops is not null) _registration = _loops.Register(_socket, this);
        else _receiveLoops.Add(Task.Run(ReceiveLoopAsync));
    }

    void IDatagramEventTarget.OnDatagram(Span<byte> buffer, int length, in TransportAddress from) =>
        _handler.OnDatagram(this, from, buffer.Slice(PeerDatagramLayout.Headroom, length));

    public ClientConnection CreateConnection(in TransportAddress remote) => new UdpClientConnection(this, remote);

    public bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress remote)
    {
        if (_loops is not null) return LinuxDatagramSender.SendTo(_handle, datagram, remote);
        var address = remote.IsIPv4
            ? t_sendV4 ??= new SocketAddress(AddressFamily.InterNetwork)
            : t_sendV6 ??= new SocketAddress(AddressFamily.InterNetworkV6);
        if (!remote.TryWriteTo(address)) return false;
        try
        {
            return _socket.SendTo(datagram, SocketFlags.None, address) == datagram.Length;
        }
        catch (SocketException)
        {
            // A full send buffer or ICMP feedback: the datagram is lost, as UDP allows.
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize, pinned: true);
        var from = new SocketAddress(_socket.AddressFamily);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, from, token).ConfigureAwait(false);
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
                continue;
            }
            catch (SocketException ex)
            {
                LogReceiveFailed(_logger, LocalAddress.ToString(), ex.SocketErrorCode);
                return;
            }
            if (!TransportAddress.TryFromSocketAddress(from, out var remote)) continue;
            try
            {
                _handler.OnDatagram(this, remote, buffer.AsSpan(0, received));
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
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _registration?.Dispose();
        _socket.Dispose();
        try
        {
            Task.WaitAll([.. _receiveLoops], TimeSpan.FromSeconds(2));
        }
        catch (AggregateException ex)
        {
            LogStopFailed(_logger, LocalAddress.ToString(), ex.InnerException?.Message ?? ex.Message);
        }
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "UDP listener {Address} stopped receiving: {Error}")]
    private static partial void LogReceiveFailed(ILogger logger, string address, SocketError error);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "UDP listener {Address} did not stop cleanly: {Error}")]
    private static partial void LogStopFailed(ILogger logger, string address, string error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Handling a datagram on {Address} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string address, Exception exception);
}
