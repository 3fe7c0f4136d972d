using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports;

/// <summary>
/// Accepts TCP (or, with a certificate, TLS) clients, on either I/O model (accepting is async on
/// both; the connection it makes through <see cref="ISocketTransport"/> reads and sends on the
/// model's own path). Bounds the number of connections, the TLS handshake time, and how long a
/// connection may idle without an allocation or stall mid-frame.
/// </summary>
internal sealed partial class StreamListener : IDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly SslStreamCertificateContext? _certificate;
    private readonly IClientMessageHandler _handler;
    private readonly Func<ClientConnection, bool> _hasAllocation;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxConnections;
    private readonly TimeSpan _idleTimeout;
    private readonly ISocketTransport _transport;
    private readonly ConcurrentDictionary<StreamClientConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _sweep;
    private Task? _acceptLoop;
    private int _disposed;

    public StreamListener(IPEndPoint endPoint, SslStreamCertificateContext? certificate, IClientMessageHandler handler,
        Func<ClientConnection, bool> hasAllocation, int maxConnections, TimeSpan idleTimeout, TimeProvider time, ILogger logger,
        ISocketTransport transport)
    {
        _transport = transport;
        _certificate = certificate;
        _handler = handler;
        _hasAllocation = hasAllocation;
        _maxConnections = maxConnections;
        _idleTimeout = idleTimeout;
        _time = time;
        _logger = logger;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = false;
            _socket.Bind(endPoint);
            _socket.Listen(512);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalAddress = TransportAddress.FromIPEndPoint((IPEndPoint)_socket.LocalEndPoint!);
        _sweep = time.CreateTimer(_ => SweepIdle(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public TransportAddress LocalAddress { get; }

    public RelayTransport Transport => _certificate is null ? RelayTransport.Tcp : RelayTransport.Tls;

    public int ConnectionCount => _connections.Count;

    public void Start() => _acceptLoop = Task.Run(AcceptLoopAsync);

    private async Task AcceptLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue;
            }
            catch (SocketException ex)
            {
                LogAcceptFailed(_logger, LocalAddress.ToString(), ex.SocketErrorCode);
                return;
            }
            if (_connections.Count >= _maxConnections)
            {
                LogConnectionRefused(_logger, LocalAddress.ToString(), _maxConnections);
                client.Dispose();
                continue;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        client.NoDelay = true;
        var remote = TransportAddress.FromIPEndPoint((IPEndPoint)client.RemoteEndPoint!);
        // The accepted socket knows the concrete local address even when the listener is a wildcard.
        var local = TransportAddress.FromIPEndPoint((IPEndPoint)client.LocalEndPoint!);
        Stream stream = new NetworkStream(client, ownsSocket: false);
        if (_certificate is not null)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            handshake.CancelAfter(HandshakeTimeout);
            try
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    // The context carries the intermediates from the chain file: the handshake sends them.
                    ServerCertificateContext = _certificate,
                    ClientCertificateRequired = false,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                }, handshake.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException)
            {
                LogHandshakeFailed(_logger, remote.ToString(), ex.Message);
                await ssl.DisposeAsync().ConfigureAwait(false);
                client.Dispose();
                return;
            }
            stream = ssl;
        }
        var connection = _transport.CreateStreamConnection(Transport, client, stream, remote, local, _handler, _time, _logger);
        _connections[connection] = 0;
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            connection.Dispose();
        }
    }

    // A connection must either hold an allocation or make progress: otherwise it is a slow-loris
    // or a scanner holding a file descriptor.
    private void SweepIdle()
    {
        var now = _time.GetTimestamp();
        foreach (var connection in _connections.Keys)
        {
            var idle = _time.GetElapsedTime(connection.LastProgress, now);
            if (idle < _idleTimeout) continue;
            if (connection.HasPartialFrame || !_hasAllocation(connection)) connection.Close();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _sweep.Dispose();
        _socket.Dispose();
        foreach (var connection in _connections.Keys) connection.Close();
        try
        {
            _acceptLoop?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException ex)
        {
            LogStopFailed(_logger, LocalAddress.ToString(), ex.InnerException?.Message ?? ex.Message);
        }
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1131, Level = LogLevel.Error, Message = "Stream listener {Address} stopped accepting: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string address, SocketError error);

    [LoggerMessage(EventId = 1132, Level = LogLevel.Warning, Message = "Stream listener {Address} refused a connection: {Max} connections open (Relay:MaxStreamConnections)")]
    private static partial void LogConnectionRefused(ILogger logger, string address, int max);

    [LoggerMessage(EventId = 1134, Level = LogLevel.Warning, Message = "Stream listener {Address} did not stop cleanly: {Error}")]
    private static partial void LogStopFailed(ILogger logger, string address, string error);

    [LoggerMessage(EventId = 1133, Level = LogLevel.Debug, Message = "TLS handshake with {Remote} failed: {Error}")]
    private static partial void LogHandshakeFailed(ILogger logger, string remote, string error);
}
