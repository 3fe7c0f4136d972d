using System.Net;
using Turnstone.TestSupport.Clients;
using Turnstone.TestSupport.Clients.Suites;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// The engine-only host for the shared client suites: loopback peers allowed (the echo peers and the other
/// browser's relay live on loopback), listening on 127.0.0.1 and ::1, TLS with a certificate from a test CA,
/// turnutils_peer echo peers on both loopbacks, and, on first use, a headless Chromium that trusts the CA.
/// </summary>
public sealed class EngineInteropFixture : IAsyncLifetime, IInteropRelayFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("turnstone-interop-ca-").FullName;
    private readonly TestCertificateAuthority _authority = new();
    private TrustingBrowser? _browser;

    public InteropRelayHost Relay { get; private set; } = null!;

    public TurnutilsPeer Peer { get; private set; } = null!;

    public TurnutilsPeer IPv6Peer { get; private set; } = null!;

    public string Realm => InteropRelayHost.Realm;

    public string CaFile { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var certificate = _authority.IssueServerCertificate(_directory);
        CaFile = _authority.WriteCertificate(Path.Combine(_directory, "ca.pem"));
        Relay = await InteropRelayHost.StartAsync(allowLoopbackPeers: true, tls: true, certificate: certificate, listenOnIPv6Loopback: true);
        Peer = await TurnutilsPeer.StartAsync();
        IPv6Peer = await TurnutilsPeer.StartAsync(IPAddress.IPv6Loopback);
    }

    public TurnServerTarget Target(ClientTransport transport) => Relay.Target(transport);

    public TurnServerTarget IPv6Target(ClientTransport transport) => Relay.IPv6Target(transport);

    public Task<WebRtcRelayPage> BrowserAsync() => (_browser ??= new TrustingBrowser(_authority.CertificatePem)).GetAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        if (IPv6Peer is not null)
        {
            await IPv6Peer.DisposeAsync();
        }

        if (Peer is not null)
        {
            await Peer.DisposeAsync();
        }

        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }

        _authority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
