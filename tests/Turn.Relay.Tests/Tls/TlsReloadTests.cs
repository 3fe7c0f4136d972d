using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;
using Turn.Relay.Tls;

namespace Turn.Relay.Tests.Tls;

/// <summary>
/// Certificate files replaced on disk (as certbot does: live/ symbolic links moved to new archive/ files) or in place
/// followed by SIGHUP: the next handshake presents the new certificate, a live TLS allocation keeps relaying, and a
/// file that does not load keeps the old certificate.
/// </summary>
public sealed class TlsReloadTests : IDisposable
{
    private readonly SniCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task SymlinkMovedToRenewedFiles_NextHandshakePresentsIt_WhileATlsAllocationKeepsRelaying()
    {
        var live = Directory.CreateDirectory(Path.Combine(_certificates.Directory, "live")).FullName;
        var first = _certificates.Issue("cert1", "first.test", "localhost");
        var certificateLink = Path.Combine(live, "fullchain.pem");
        var keyLink = Path.Combine(live, "privkey.pem");
        File.CreateSymbolicLink(certificateLink, first.CertificatePath);
        File.CreateSymbolicLink(keyLink, first.KeyPath);
        await using var host = await RelayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:TlsPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Relay:TlsCertificatePath"] = certificateLink,
            ["Relay:TlsKeyPath"] = keyLink,
            ["Relay:TlsReloadIntervalSeconds"] = "1",
        });
        var server = Assert.Single(host.Service.TlsEndPoints);
        Assert.Equal("CN=first.test", await _certificates.HandshakeAsync(server, "localhost"));

        // A TLS allocation relaying to a UDP peer.
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peerAddress = TransportAddress.FromIPEndPoint((IPEndPoint)peer.LocalEndPoint!);
        await using var client = await WireClient.TlsAsync(server);
        var allocation = await client.AllocateAsync();
        Assert.True(allocation.IsSuccess, $"Allocate: {allocation.ErrorCode}");
        Assert.True((await client.CreatePermissionAsync(peerAddress)).IsSuccess);
        await client.SendIndicationAsync(peerAddress, [1, 2, 3]);
        var relayed = await PeerReceiveAsync(peer);

        // certbot's renewal: new archive files, then the live links replaced (each by an atomic rename).
        var renewed = _certificates.Issue("cert2", "renewed.test", "localhost");
        ReplaceLink(keyLink, renewed.KeyPath);
        ReplaceLink(certificateLink, renewed.CertificatePath);
        var presented = "";
        for (var i = 0; i < 50 && presented != "CN=renewed.test"; i++)
        {
            await Task.Delay(200);
            presented = await _certificates.HandshakeAsync(server, "localhost");
        }
        Assert.Equal("CN=renewed.test", presented);
        Assert.Equal("CN=renewed.test", Assert.Single(host.Host.Services.GetRequiredService<ITlsCertificateStatus>().Certificates).Subject);

        // The allocation made before the reload relays both ways on its old TLS session.
        await client.SendIndicationAsync(peerAddress, [4, 5, 6]);
        var (data, from) = await PeerReceiveAsync(peer);
        Assert.Equal(new byte[] { 4, 5, 6 }, data);
        await peer.SendToAsync(new byte[] { 7, 8, 9 }, SocketFlags.None, from);
        var indication = await client.ReceiveAsync();
        Assert.Equal(0x0017, (indication[0] << 8) | indication[1]); // Data indication
        Assert.Single(host.Host.Services.GetRequiredService<IRelayState>().GetSnapshot().Allocations);
        Assert.Equal(relayed.From, from);
    }

    [Fact]
    public async Task SigHup_ReadsTheFilesAgain()
    {
        var (certificatePath, keyPath) = _certificates.Issue("server", "before.test", "localhost");
        // This registration keeps the signal from ending the test process, whatever else is registered when it arrives.
        using var guard = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true);
        await using var host = await RelayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:TlsPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Relay:TlsCertificatePath"] = certificatePath,
            ["Relay:TlsKeyPath"] = keyPath,
            // No poll: only the signal can bring the new files in.
            ["Relay:TlsReloadIntervalSeconds"] = "0",
        });
        var server = Assert.Single(host.Service.TlsEndPoints);
        Assert.Equal("CN=before.test", await _certificates.HandshakeAsync(server, "localhost"));

        _certificates.Issue("server", "after.test", "localhost");
        using (var kill = Process.Start("kill", ["-HUP", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }
        var presented = "";
        for (var i = 0; i < 50 && presented != "CN=after.test"; i++)
        {
            await Task.Delay(100);
            presented = await _certificates.HandshakeAsync(server, "localhost");
        }
        Assert.Equal("CN=after.test", presented);
    }

    [Fact]
    public void BadNewFile_KeepsTheOldCertificate_AndLogsAnError()
    {
        var (certificatePath, keyPath) = _certificates.Issue("server", "good.test", "localhost");
        var logger = new ListLogger<TlsCertificateProvider>();
        using var provider = new TlsCertificateProvider(Options.Create(new RelayOptions { TlsCertificatePath = certificatePath, TlsKeyPath = keyPath }), logger);
        var thumbprint = provider.GetCertificate().Certificate.Thumbprint;

        File.WriteAllText(certificatePath, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
        Assert.False(provider.CheckForChanges());
        Assert.Equal(thumbprint, provider.GetCertificate().Certificate.Thumbprint);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 1308 && e.Level == LogLevel.Error);
        // Not retried (nor logged again) until the files change again.
        var errors = logger.Entries.Count(e => e.EventId.Id == 1308);
        Assert.False(provider.CheckForChanges());
        Assert.Equal(errors, logger.Entries.Count(e => e.EventId.Id == 1308));

        _certificates.Issue("server", "fixed.test", "localhost");
        Assert.True(provider.CheckForChanges());
        Assert.Equal("CN=fixed.test", provider.GetCertificate().Certificate.Subject);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 1307);
    }

    [Fact]
    public void UnchangedFiles_AreNotReadAgain()
    {
        var (certificatePath, keyPath) = _certificates.Issue("server", "same.test", "localhost");
        using var provider = new TlsCertificateProvider(Options.Create(new RelayOptions { TlsCertificatePath = certificatePath, TlsKeyPath = keyPath }),
            new ListLogger<TlsCertificateProvider>());
        var before = provider.Current;
        Assert.False(provider.CheckForChanges());
        Assert.Same(before, provider.Current);
    }

    private static void ReplaceLink(string link, string target)
    {
        var temporary = link + ".new";
        File.CreateSymbolicLink(temporary, target);
        File.Move(temporary, link, overwrite: true);
    }

    private static async Task<(byte[] Data, IPEndPoint From)> PeerReceiveAsync(Socket peer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[2048];
        var result = await peer.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return (buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
