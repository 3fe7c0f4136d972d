using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Relay.Engine;
using Turn.Relay.Diagnostics;
using Turn.Relay.Seams;
using Turn.Relay.Tls;
using Turn.Relay.Transports;
using Turn.Relay.Transports.Sockets;

namespace Turn.Relay.Hosting;

/// <summary>
/// Starts the engine and its listeners: UDP and TCP on Relay:Port, TLS on Relay:TlsPort, on every
/// Relay:ListenAddresses entry (default 0.0.0.0 and, where the host has IPv6, ::). The sockets run
/// on the I/O model chosen at start (<see cref="SocketTransportFactory"/>).
/// </summary>
internal sealed partial class RelayHostedService : IHostedService, IDisposable
{
    private readonly RelayEngine _engine;
    private readonly RelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ITlsCertificateSource _certificates;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ISocketTransport _transport;
    private readonly RelayMetrics? _metrics;
    private readonly StreamConnectionLimiter _streamLimiter;
    private readonly Lock _listenersLock = new();
    private readonly List<UdpListener> _udp = [];
    private readonly List<StreamListener> _streams = [];

    internal RelayHostedService(RelayEngine engine, IOptions<RelayOptions> options, TimeProvider time, ITlsCertificateSource certificates,
        ILoggerFactory loggerFactory, ISocketTransport? transport = null, RelayMetrics? metrics = null)
    {
        _metrics = metrics;
        // One count for every stream listener: the caps are server-wide and per client address.
        _streamLimiter = new StreamConnectionLimiter(options.Value.MaxStreamConnections, options.Value.MaxStreamConnectionsPerAddress);
        _transport = transport ?? new SocketsTransport(loggerFactory);
        _engine = engine;
        _options = options.Value;
        _time = time;
        _certificates = certificates;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<RelayHostedService>();
    }

    /// <summary>Bound UDP listener addresses (useful with Relay:Port 0).</summary>
    public IReadOnlyList<IPEndPoint> UdpEndPoints
    {
        get
        {
            lock (_listenersLock) return [.. _udp.Select(l => l.LocalAddress.ToIPEndPoint())];
        }
    }

    public IReadOnlyList<IPEndPoint> TcpEndPoints => StreamEndPoints(RelayTransport.Tcp);

    public IReadOnlyList<IPEndPoint> TlsEndPoints => StreamEndPoints(RelayTransport.Tls);

    private List<IPEndPoint> StreamEndPoints(RelayTransport transport)
    {
        lock (_listenersLock) return [.. _streams.Where(s => s.Transport == transport).Select(s => s.LocalAddress.ToIPEndPoint())];
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _engine.Start();
        var addresses = _options.ListenAddresses.Count > 0
            ? _options.ListenAddresses.Select(IPAddress.Parse).ToList()
            : Socket.OSSupportsIPv6 ? [IPAddress.Any, IPAddress.IPv6Any] : [IPAddress.Any];
        var streamLogger = _loggerFactory.CreateLogger<StreamListener>();
        var limits = StreamLimits.From(_options);
        var tls = _options.TlsPort != 0 ? TlsCertificates() : null;
        // Built aside and published under the lock, so a concurrent stop sees all or nothing.
        var udpListeners = new List<UdpListener>();
        var streamListeners = new List<StreamListener>();
        try
        {
            foreach (var address in addresses)
            {
                for (var attempt = 1; ; attempt++)
                {
                    var udpCount = udpListeners.Count;
                    var streamCount = streamListeners.Count;
                    try
                    {
                        BindAddress(address, udpListeners, streamListeners, tls, streamLogger, limits);
                        break;
                    }
                    catch (SocketException ex) when (_options.Port == 0 && attempt < MaxEphemeralPortAttempts
                        && ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
                    {
                        // Port 0: the OS picked a free UDP port, but its TCP twin was taken (e.g. by another
                        // program's outgoing connection). Drop this address's sockets and let the OS pick again.
                        foreach (var stream in streamListeners.Skip(streamCount)) stream.Dispose();
                        foreach (var udp in udpListeners.Skip(udpCount)) udp.Dispose();
                        streamListeners.RemoveRange(streamCount, streamListeners.Count - streamCount);
                        udpListeners.RemoveRange(udpCount, udpListeners.Count - udpCount);
                    }
                }
            }
        }
        catch (SocketException ex)
        {
            foreach (var stream in streamListeners) stream.Dispose();
            foreach (var udp in udpListeners) udp.Dispose();
            throw new InvalidOperationException(
                $"Relay: cannot listen on Relay:Port {_options.Port} / Relay:TlsPort {_options.TlsPort} ({ex.SocketErrorCode}). Check Relay:ListenAddresses and that no other server holds the ports.", ex);
        }
        lock (_listenersLock)
        {
            _udp.AddRange(udpListeners);
            _streams.AddRange(streamListeners);
        }
        foreach (var udp in udpListeners)
        {
            udp.Start();
            LogListening(_logger, "UDP", udp.LocalAddress.ToString());
        }
        foreach (var stream in streamListeners)
        {
            stream.Start();
            LogListening(_logger, stream.Transport == RelayTransport.Tls ? "TLS" : "TCP", stream.LocalAddress.ToString());
        }
        LogRelayRange(_logger, _options.MinPort, _options.MaxPort, _engine.HostIPv4?.ToIPAddress().ToString() ?? "-", _options.ExternalAddress ?? "-");
        return Task.CompletedTask;
    }

    /// <summary>Open TCP/TLS connections of every listener, TLS handshakes included.</summary>
    public int StreamConnectionCount => _streamLimiter.Count;

    // The provider picks a certificate per SNI name and reloads; another ITlsCertificateSource gives one certificate.
    // Loaded here, so a certificate that cannot load stops the start.
    private ITlsServerCertificates TlsCertificates()
    {
        var tls = _certificates as ITlsServerCertificates ?? new FixedTlsServerCertificates(_certificates);
        tls.GetServerOptions(null);
        if (_certificates is ITlsCertificateStatus status) _metrics?.SetCertificateSource(() => status.Certificates);
        return tls;
    }

    // Port 0 (tests, ad-hoc runs): how often to let the OS pick again when the UDP port's TCP twin is taken.
    private const int MaxEphemeralPortAttempts = 8;

    /// <summary>Binds UDP, TCP (same port) and TLS on one address; nothing when the host has no IPv6 for the default "::".</summary>
    private void BindAddress(IPAddress address, List<UdpListener> udpListeners, List<StreamListener> streamListeners,
        ITlsServerCertificates? tls, ILogger<StreamListener> streamLogger, StreamLimits limits)
    {
        UdpListener udp;
        var extra = OperatingSystem.IsLinux() ? _options.UdpListenersPerAddress - 1 : 0;
        try
        {
            udp = _transport.BindUdpListener(new IPEndPoint(address, _options.Port), _engine, reusePort: extra > 0);
        }
        catch (SocketException ex) when (_options.ListenAddresses.Count == 0 && address.Equals(IPAddress.IPv6Any)
            && ex.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable)
        {
            // "Where the host has IPv6": a kernel with IPv6 disabled gets IPv4 only.
            LogNoIPv6(_logger, ex.SocketErrorCode);
            return;
        }
        udpListeners.Add(udp);
        // With Port 0 the OS picks the UDP port; TCP (and extra UDP sockets) follow it.
        var port = udp.LocalAddress.Port;
        for (var i = 0; i < extra; i++)
            udpListeners.Add(_transport.BindUdpListener(new IPEndPoint(address, port), _engine, reusePort: true));
        streamListeners.Add(new StreamListener(new IPEndPoint(address, port), null, _engine, _engine.HasAllocation,
            _streamLimiter, limits, _time, streamLogger, _transport, _metrics));
        if (tls is not null)
        {
            streamListeners.Add(new StreamListener(new IPEndPoint(address, _options.TlsPort), tls, _engine, _engine.HasAllocation,
                _streamLimiter, limits, _time, streamLogger, _transport, _metrics));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        StopListeners();
        return Task.CompletedTask;
    }

    public void Dispose() => StopListeners();

    // The host may stop twice (StopAsync, then Dispose) or from several threads at once (a test
    // fixture and the host): each caller takes the current listeners out under the lock and
    // disposes only what it took, so no list is iterated while another caller clears it.
    private void StopListeners()
    {
        StreamListener[] streams;
        UdpListener[] udp;
        lock (_listenersLock)
        {
            streams = [.. _streams];
            udp = [.. _udp];
            _streams.Clear();
            _udp.Clear();
        }
        foreach (var stream in streams) stream.Dispose();
        foreach (var listener in udp) listener.Dispose();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "TURN listening on {Transport} {Address}")]
    private static partial void LogListening(ILogger logger, string transport, string address);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Relay ports {MinPort}-{MaxPort}; default relay address {HostAddress}; external address {External}")]
    private static partial void LogRelayRange(ILogger logger, int minPort, int maxPort, string hostAddress, string external);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "No IPv6 listener: {Error}")]
    private static partial void LogNoIPv6(ILogger logger, SocketError error);
}
