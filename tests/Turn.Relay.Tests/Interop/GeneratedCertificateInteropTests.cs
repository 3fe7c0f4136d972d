using Turn.Relay.Tls;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// TURNS with no certificate configured: the engine serves the self-signed certificate it generated
/// and a TLS client relays through it (uclient is given the certificate as its CA file, though it
/// does not enforce verification; the unit tests prove the generated certificate verifies).
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
    public async Task Uclient_OverTls_TrustingTheGeneratedCertificate_ZeroLoss()
    {
        var certificate = _relay.Certificate;
        Assert.Equal(TlsCertificateSource.Generated, certificate.Source);

        var target = _relay.Target(ClientTransport.Tls) with { Host = "127.0.0.1" };
        var result = await TurnutilsUclient.RunAsync(target, new UclientOptions { Messages = 10, Clients = 1, PeerPort = _peer.Port, CaFile = certificate.CertificatePath });

        Assert.True(result.IsZeroLoss(10), result.Process.Output);
    }
}
