using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Relay.Engine;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Hosting;

/// <summary>
/// Starts the engine and its listeners: UDP and TCP on Relay:Port, TLS on Relay:TlsPort, on every
/// Relay:ListenAddresses entry (default 0.0.0.0 and, where the host has IPv6, ::).
/// </summary>
public sealed partial class RelayHostedService : IHostedService, IDisposable
{
    private readonly RelayEngine _engine;
    private readonly RelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ITlsCertificateSource _certificates;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly List<UdpListener> _udp = [];
    private readonly List<StreamListener> _streams = [];

    internal RelayHostedService(RelayEngine engine, IOptions<RelayOptions> options, TimeProvider time, ITlsCertificateSource certificates,
        ILoggerFactory loggerFactory)
    {
        _engine = engine;
        _options = options.Value;
        _time = time;
        _certificates = certificates;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<RelayHostedService>();
    }

    /// <summary>Bound UDP listener addresses (useful with Relay:Port 0).</summary>
    public IReadOnlyList<IPEndPoint> UdpEndPoints => [.. _udp.Select(l => l.LocalAddress.ToIPEndPoint())];

    public IReadOnlyList<IPEndPoint> TcpEndPoints => [.. _streams.Where(s => s.Transport == RelayTransport.Tcp).Select(s => s.LocalAddress.ToIPEndPoint())];

    public IReadOnlyList<IPEndPoint> TlsEndPoints => [.. _streams.Where(s => s.Transport == RelayTransport.Tls).Select(s => s.LocalAddress.ToIPEndPoint())];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _engine.Start();
        var addresses = _options.ListenAddresses.Count > 0
            ? _options.ListenAddresses.Select(IPAddress.Parse).ToList()
            : Socket.OSSupportsIPv6 ? [IPAddress.Any, IPAddress.IPv6Any] : [IPAddress.Any];
        var udpLogger = _loggerFactory.CreateLogger<UdpListener>();
        var streamLogger = _loggerFactory.CreateLogger<StreamListener>();
        var idle = TimeSpan.FromSeconds(_options.StreamIdleTimeoutSeconds);
        var certificate = _options.TlsPort != 0 ? _certificates.GetServerCertificate() : null;
        try
        {
            foreach (var address in addresses)
            {
                var udp = new UdpListener(new IPEndPoint(address, _options.Port), _engine, udpLogger);
                _udp.Add(udp);
                // With Port 0 the OS picks the UDP port; TCP follows it so both share one number.
                var port = udp.LocalAddress.Port;
                _streams.Add(new StreamListener(new IPEndPoint(address, port), null, _engine, _engine.HasAllocation,
                    _options.MaxStreamConnections, idle, _time, streamLogger));
                if (certificate is not null)
                {
                    _streams.Add(new StreamListener(new IPEndPoint(address, _options.TlsPort), certificate, _engine, _engine.HasAllocation,
                        _options.MaxStreamConnections, idle, _time, streamLogger));
                }
            }
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException(
                $"Relay: cannot listen on Relay:Port {_options.Port} / Relay:TlsPort {_options.TlsPort} ({ex.SocketErrorCode}). Check Relay:ListenAddresses and that no other server holds the ports.", ex);
        }
        foreach (var udp in _udp)
        {
            udp.Start();
            LogListening(_logger, "UDP", udp.LocalAddress.ToString());
        }
        foreach (var stream in _streams)
        {
            stream.Start();
            LogListening(_logger, stream.Transport == RelayTransport.Tls ? "TLS" : "TCP", stream.LocalAddress.ToString());
        }
        LogRelayRange(_logger, _options.MinPort, _options.MaxPort, _engine.HostIPv4?.ToIPAddress().ToString() ?? "-", _options.ExternalAddress ?? "-");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var stream in _streams) stream.Dispose();
        foreach (var udp in _udp) udp.Dispose();
        _streams.Clear();
        _udp.Clear();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var stream in _streams) stream.Dispose();
        foreach (var udp in _udp) udp.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "TURN listening on {Transport} {Address}")]
    private static partial void LogListening(ILogger logger, string transport, string address);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Relay ports {MinPort}-{MaxPort}; default relay address {HostAddress}; external address {External}")]
    private static partial void LogRelayRange(ILogger logger, int minPort, int maxPort, string hostAddress, string external);
}
