using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// A relay with TLS (certificate from a test CA, loopback peers allowed: the other browser's relay
/// address is 127.0.0.1) and one headless Chromium whose NSS database trusts that CA.
/// </summary>
public sealed class WebRtcFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("turnstone-webrtc-").FullName;
    private TestCertificateAuthority? _authority;
    private ChromiumTrustStore? _trustStore;

    public InteropRelayHost Relay { get; private set; } = null!;

    public WebRtcRelayPage Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _authority = new TestCertificateAuthority();
        var certificate = _authority.IssueServerCertificate(_directory);
        Relay = await InteropRelayHost.StartAsync(allowLoopbackPeers: true, tls: true, certificate: certificate);
        _trustStore = await ChromiumTrustStore.CreateAsync(_authority.CertificatePem);
        Browser = await WebRtcRelayPage.LaunchAsync(_trustStore);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }

        _trustStore?.Dispose();
        _authority?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
