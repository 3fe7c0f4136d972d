using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;
using Turn.Relay.Tls;
using Turn.Relay.Transports;
using Turn.Relay.Transports.Sockets;

namespace Turn.Relay.Tests.Tls;

/// <summary>Relay:TlsCertificates: real handshakes pick the certificate by SNI; no SNI or an unknown name gets the default.</summary>
public sealed class TlsSniTests : IDisposable
{
    private readonly SniCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private Dictionary<string, string?> Settings()
    {
        var (defaultCertificate, defaultKey) = _certificates.Issue("default", "default.test", "default.test", "localhost");
        var (alphaCertificate, alphaKey) = _certificates.Issue("alpha", "alpha.test", "alpha.test");
        var (wildCertificate, wildKey) = _certificates.Issue("wild", "wild.beta.test", "*.beta.test");
        return new Dictionary<string, string?>
        {
            ["Relay:TlsPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Relay:TlsCertificatePath"] = defaultCertificate,
            ["Relay:TlsKeyPath"] = defaultKey,
            ["Relay:TlsCertificates:0:CertificatePath"] = alphaCertificate,
            ["Relay:TlsCertificates:0:KeyPath"] = alphaKey,
            ["Relay:TlsCertificates:1:CertificatePath"] = wildCertificate,
            ["Relay:TlsCertificates:1:KeyPath"] = wildKey,
        };
    }

    [Fact]
    public async Task Handshake_BySniName_PresentsTheMatchingCertificateElseTheDefault()
    {
        await using var host = await RelayHost.StartAsync(Settings());
        var server = Assert.Single(host.Service.TlsEndPoints);

        Assert.Equal("CN=alpha.test", await _certificates.HandshakeAsync(server, "alpha.test"));
        Assert.Equal("CN=wild.beta.test", await _certificates.HandshakeAsync(server, "one.beta.test"));
        // A wildcard covers one label only.
        Assert.Equal("CN=default.test", await _certificates.HandshakeAsync(server, "two.one.beta.test"));
        Assert.Equal("CN=default.test", await _certificates.HandshakeAsync(server, "default.test"));
        Assert.Equal("CN=default.test", await _certificates.HandshakeAsync(server, "unknown.test"));
        Assert.Equal("CN=default.test", await _certificates.HandshakeAsync(server, null));

        // The status the portal reads: what is presented now, the default first.
        var status = host.Host.Services.GetRequiredService<ITlsCertificateStatus>().Certificates;
        Assert.Equal(["CN=default.test", "CN=alpha.test", "CN=wild.beta.test"], status.Select(c => c.Subject));
        Assert.Equal(["*.beta.test"], status[2].HostNames);
        Assert.All(status, c => Assert.False(c.IsGenerated));
    }

    [Fact]
    public async Task ExpiryGauge_ReportsEachCertificate()
    {
        await using var host = await RelayHost.StartAsync(Settings());
        var metrics = host.Host.Services.GetRequiredService<Turn.Relay.Diagnostics.RelayMetrics>();
        using var recorder = new MeasurementRecorder(metrics.Meter);
        var expiry = recorder.Collect().Where(m => m.Name == "turn.tls.certificate.expiry").ToList();
        var status = host.Host.Services.GetRequiredService<ITlsCertificateStatus>().Certificates;
        Assert.Equal(3, expiry.Count);
        Assert.Contains(expiry, m => m.Tag("tls.server.name") == "*.beta.test" && m.Tag("tls.certificate.generated") == "false"
            && m.Value == status[2].NotAfter.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task GeneratedDefault_IsReportedAsGenerated()
    {
        await using var host = await RelayHost.StartAsync(new Dictionary<string, string?> { ["Relay:TlsPort"] = FreePort().ToString(CultureInfo.InvariantCulture) });
        var certificate = Assert.Single(host.Host.Services.GetRequiredService<ITlsCertificateStatus>().Certificates);
        Assert.True(certificate.IsGenerated);
        Assert.Contains("localhost", certificate.HostNames);
    }

    [Fact]
    public async Task TlsOff_StatusIsEmpty()
    {
        await using var host = await RelayHost.StartAsync();
        Assert.Empty(host.Host.Services.GetRequiredService<ITlsCertificateStatus>().Certificates);
    }

    [Fact]
    public async Task Connection_ServerName_IsTheSniNameLowerCase()
    {
        var settings = Settings();
        using var provider = new TlsCertificateProvider(Options.Create(new RelayOptions
        {
            TlsCertificatePath = settings["Relay:TlsCertificatePath"],
            TlsKeyPath = settings["Relay:TlsKeyPath"],
            TlsCertificates = [new TlsCertificateFiles { CertificatePath = settings["Relay:TlsCertificates:0:CertificatePath"]!, KeyPath = settings["Relay:TlsCertificates:0:KeyPath"]! }],
        }), new ListLogger<TlsCertificateProvider>());
        using var transport = new SocketsTransport(NullLoggerFactory.Instance);
        var handler = new ServerNameRecorder();
        using var listener = new StreamListener(new IPEndPoint(IPAddress.Loopback, 0), provider, handler, _ => false,
            new StreamConnectionLimiter(10, 10), new StreamLimits(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)),
            TimeProvider.System, NullLogger.Instance, transport);
        listener.Start();

        Assert.Equal("alpha.test", await SendOneAsync(listener.LocalAddress.ToIPEndPoint(), "ALPHA.test", handler));
        Assert.Null(await SendOneAsync(listener.LocalAddress.ToIPEndPoint(), "", handler));
    }

    // Handshakes with the SNI name, sends a Binding request, returns the ServerName the connection had when it arrived.
    private static async Task<string?> SendOneAsync(IPEndPoint server, string sni, ServerNameRecorder handler)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server, timeout.Token);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = sni }, timeout.Token);
        var binding = new byte[20];
        binding[1] = 0x01;
        binding[4] = 0x21; binding[5] = 0x12; binding[6] = 0xA4; binding[7] = 0x42;
        RandomNumberGenerator.Fill(binding.AsSpan(8));
        await ssl.WriteAsync(binding, timeout.Token);
        return await handler.Next.Reader.ReadAsync(timeout.Token);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ServerNameRecorder : IClientMessageHandler
    {
        public System.Threading.Channels.Channel<string?> Next { get; } = System.Threading.Channels.Channel.CreateUnbounded<string?>();

        public void OnDatagram(IDatagramEndpoint endpoint, in TransportAddress remote, ReadOnlySpan<byte> data) { }

        public void OnStreamMessage(ClientConnection connection, ReadOnlySpan<byte> message) => Next.Writer.TryWrite(connection.ServerName);

        public bool HasAllocation(ClientConnection connection) => false;

        public void OnStreamClosed(ClientConnection connection) { }
    }
}
