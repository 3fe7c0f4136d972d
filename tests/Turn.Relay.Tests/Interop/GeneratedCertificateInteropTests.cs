using Turn.Relay.Tls;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// TURNS with no certificate configured: the engine serves the self-signed certificate it generated
/// and TLS clients relay through it: aioice verifying it (chain and host name), and uclient (which
/// is given it as CA file but does not enforce verification).
/// </summary>
[Trait("Category", "Interop")]
public sealed class GeneratedCertificateInteropTests : IAsyncLifetime
{
    private InteropRelayHost _relay = null!;
    private TurnutilsPeer _peer = null!;

    public async Task InitializeAsync()
    {
        _relay = await InteropRelayHost.StartAsync(allowLoopbackPeers: true, tls: true);
        _peer = await TurnutilsPeer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }

        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    [Fact]
    public async Task Uclient_OverTls_WithTheGeneratedCertificate_ZeroLoss()
    {
        var certificate = _relay.Certificate;
        Assert.Equal(TlsCertificateSource.Generated, certificate.Source);

        var target = _relay.Target(ClientTransport.Tls) with { Host = "127.0.0.1" };
        var result = await TurnutilsUclient.RunAsync(target, new UclientOptions { Messages = 10, Clients = 1, PeerPort = _peer.Port, CaFile = certificate.CertificatePath });

        Assert.True(result.IsZeroLoss(10), result.Process.Output);
    }

    [Fact]
    public async Task Aioice_OverTls_VerifyingTheGeneratedCertificateForLocalhost_Relays()
    {
        // Python's ssl verifies the chain and the host name, so this proves the generated
        // certificate is valid for "localhost" and is what the TLS listener serves.
        var result = await AioiceTurnClient.RelayAsync(_relay.Target(ClientTransport.Tls), "127.0.0.1", _peer.Port, caFile: _relay.Certificate.CertificatePath);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.True(result.DataIndicationEchoed, result.Output);
        Assert.Equal(5, result.ChannelMessagesEchoed);
        Assert.Equal(437, result.RefreshAfterDeleteError);
    }

    [Fact]
    public async Task Aioice_OverTls_WithAnotherCa_RefusesTheConnection()
    {
        using var stranger = new TestCertificateAuthority("Stranger CA");
        var caFile = stranger.WriteCertificate(Path.Combine(Path.GetTempPath(), $"stranger-{Guid.NewGuid():N}.pem"));
        try
        {
            var result = await AioiceTurnClient.RelayAsync(_relay.Target(ClientTransport.Tls), "127.0.0.1", _peer.Port, caFile: caFile);

            Assert.False(result.Ok, result.Output);
            Assert.Equal("connect", result.Step);
            Assert.Contains("CERTIFICATE_VERIFY_FAILED", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(caFile);
        }
    }
}
