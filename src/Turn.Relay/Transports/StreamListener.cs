using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Diagnostics;
using Turn.Relay.Seams;
using Turn.Relay.Tls;

namespace Turn.Relay.Transports;

/// <summary>
/// Accepts TCP (or, with certificates, TLS) clients, on either I/O model (accepting is async on
/// both; the connection it makes through <see cref="ISocketTransport"/> reads and sends on the
/// model's own path). Every connection takes a slot of the shared <see cref="StreamConnectionLimiter"/>
/// from accept, handshake included. One sweep a second ends handshakes past their deadline, connections
/// that have not authenticated in time (and hold no allocation), and idle or stalled ones.
/// </summary>
internal sealed partial class StreamListener : IDisposable
{
    private readonly Socket _socket;
    private readonly ITlsServerCertificates? _tls;
    private readonly IClientMessageHandler _handler;
    private readonly Func<ClientConnection, bool> _hasAllocation;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StreamConnectionLimiter _limiter;
    private readonly StreamLimits _limits;
    private readonly RelayMetrics? _metrics;
    private readonly ISocketTransport _transport;
    // Running connections, with the timestamp of their accept (for the authentication deadline).
    private readonly ConcurrentDictionary<StreamClientConnection, long> _connections = new();
    // Sockets whose TLS handshake is under way, with the timestamp of their accept.
    private readonly ConcurrentDictionary<Socket, long> _handshakes = new();
    private readonly LogThrottle _refusals = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _sweep;
    private Task? _acceptLoop;
    private int _disposed;

    public StreamListener(IPEndPoint endPoint, ITlsServerCertificates? tls, IClientMessageHandler handler,
        Func<ClientConnection, bool> hasAllocation, StreamConnectionLimiter limiter, StreamLimits limits, TimeProvider time, ILogger logger,
        ISocketTransport transport, RelayMetrics? metrics = null)
    {
        _transport = transport;
        _tls = tls;
        _handler = handler;
        _hasAllocation = hasAllocation;
        _limiter = limiter;
        _limits = limits;
        _metrics = metrics;
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
        _sweep = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public TransportAddress LocalAddress { get; }

    public RelayTransport Transport => _tls is null ? RelayTransport.Tcp : RelayTransport.Tls;

    /// <summary>Running connections of this listener (handshakes under way not included).</summary>
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
            IPEndPoint remote;
            try
            {
                remote = (IPEndPoint)client.RemoteEndPoint!;
            }
            catch (SocketException)
            {
                // Reset between accept and here.
                client.Dispose();
                continue;
            }
            var admission = _limiter.TryAcquire(remote.Address);
            if (admission != StreamConnectionAdmission.Admitted)
            {
                Refuse(client, admission);
                continue;
            }
            _ = ServeAsync(client, remote);
        }
    }

    // Closed at once, before any read or handshake: a refused connection costs an accept and a close.
    private void Refuse(Socket client, StreamConnectionAdmission admission)
    {
        var serverLimit = admission == StreamConnectionAdmission.ServerLimit;
        _metrics?.RecordStreamConnectionRefused(Transport, serverLimit ? "server_limit" : "address_limit");
        client.Dispose();
        // One line per 30 s at most: a flood of refusals must not become a flood of log lines.
        if (_refusals.TryEnter(Stopwatch.GetTimestamp(), 30 * Stopwatch.Frequency, out var heldBack))
        {
            LogConnectionRefused(_logger, LocalAddress.ToString(),
                serverLimit ? "Relay:MaxStreamConnections" : "Relay:MaxStreamConnectionsPerAddress",
                serverLimit ? _limiter.MaxConnections : _limiter.MaxPerAddress, heldBack);
        }
    }

    private async Task ServeAsync(Socket client, IPEndPoint remoteEndPoint)
    {
        try
        {
            client.NoDelay = true;
            var remote = TransportAddress.FromIPEndPoint(remoteEndPoint);
            // The accepted socket knows the concrete local address even when the listener is a wildcard.
            var local = TransportAddress.FromIPEndPoint((IPEndPoint)client.LocalEndPoint!);
            Stream stream = new NetworkStream(client, ownsSocket: false);
            string? serverName = null;
            if (_tls is not null)
            {
                var ssl = await HandshakeAsync(client, stream, remote).ConfigureAwait(false);
                if (ssl is null) return;
                serverName = TlsHostName.Normalize(ssl.TargetHostName);
                stream = ssl;
            }
            var connection = _transport.CreateStreamConnection(Transport, client, stream, remote, local, _handler, _time, _logger);
            connection.SetServerName(serverName);
            _connections[connection] = _time.GetTimestamp();
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
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Reset before it was served (e.g. LocalEndPoint of a socket already gone).
            client.Dispose();
        }
        finally
        {
            _limiter.Release(remoteEndPoint.Address);
        }
    }

    // The sweep disposes a socket whose handshake outlives Relay:TlsHandshakeTimeoutSeconds, which ends the handshake here.
    private async Task<SslStream?> HandshakeAsync(Socket client, Stream stream, TransportAddress remote)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        _handshakes[client] = _time.GetTimestamp();
        try
        {
            // The options, and so the certificate (with its chain), are picked per handshake from the SNI name:
            // a reloaded certificate is presented from the next handshake on.
            await ssl.AuthenticateAsServerAsync(SelectOptions, _tls, _stop.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            LogHandshakeFailed(_logger, remote.ToString(), ex.Message);
            await ssl.DisposeAsync().ConfigureAwait(false);
            client.Dispose();
            return null;
        }
        finally
        {
            _handshakes.TryRemove(client, out _);
        }
    }

    private static ValueTask<SslServerAuthenticationOptions> SelectOptions(SslStream stream, SslClientHelloInfo hello, object? state,
        CancellationToken cancellationToken) =>
        ValueTask.FromResult(((ITlsServerCertificates)state!).GetServerOptions(hello.ServerName));

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (socket, acceptedAt) in _handshakes)
        {
            if (_time.GetElapsedTime(acceptedAt, now) < _limits.HandshakeTimeout) continue;
            _metrics?.RecordStreamTimeout(Transport, "handshake");
            socket.Dispose();
        }
        foreach (var (connection, acceptedAt) in _connections)
        {
            if (connection.IsClosed) continue;
            // Authenticated or allocated connections are the only ones a client may keep; keepalives do not count.
            if (!connection.IsAuthenticated && _time.GetElapsedTime(acceptedAt, now) >= _limits.AuthTimeout && !_hasAllocation(connection))
            {
                _metrics?.RecordStreamTimeout(Transport, "auth");
                connection.Close();
                continue;
            }
            // A connection must either hold an allocation or make progress: otherwise it is a slow-loris
            // or a scanner holding a file descriptor.
            var idle = _time.GetElapsedTime(connection.LastProgress, now);
            if (idle < _limits.IdleTimeout) continue;
            if (connection.HasPartialFrame || !_hasAllocation(connection))
            {
                _metrics?.RecordStreamTimeout(Transport, "idle");
                connection.Close();
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _sweep.Dispose();
        _socket.Dispose();
        foreach (var socket in _handshakes.Keys) socket.Dispose();
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

    [LoggerMessage(EventId = 1132, Level = LogLevel.Warning, Message = "Stream listener {Address} refused a connection: {Key} {Max} reached ({HeldBack} more refusals since the last report)")]
    private static partial void LogConnectionRefused(ILogger logger, string address, string key, int max, long heldBack);

    [LoggerMessage(EventId = 1134, Level = LogLevel.Warning, Message = "Stream listener {Address} did not stop cleanly: {Error}")]
    private static partial void LogStopFailed(ILogger logger, string address, string error);

    [LoggerMessage(EventId = 1133, Level = LogLevel.Debug, Message = "TLS handshake with {Remote} failed: {Error}")]
    private static partial void LogHandshakeFailed(ILogger logger, string remote, string error);
}
