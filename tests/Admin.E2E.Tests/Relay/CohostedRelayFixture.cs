using System.Net;
using Turnstone.TestSupport.Clients;
using Turnstone.TestSupport.Clients.Suites;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// One co-hosted app for the whole relay collection (loopback peers allowed: the echo peers and the other
/// browser's relay live on loopback), a realm and user made with the CLI, turnutils_peer echo peers on 127.0.0.1
/// and ::1, and, on first use, a headless Chromium that trusts the test CA.
/// </summary>
public sealed class CohostedRelayFixture : IAsyncLifetime, IInteropRelayFixture
{
    public const string User = "alice";
    public const string Password = "alice-Passw0rd";

    private readonly TestCertificateAuthority _authority = new();
    private TrustingBrowser? _browser;

    internal CohostedRelayApp App { get; private set; } = null!;

    public TurnutilsPeer Peer { get; private set; } = null!;

    public TurnutilsPeer IPv6Peer { get; private set; } = null!;

    public string Realm => CohostedRelayApp.Realm;

    public string CaFile => App.CaFile;

    public async Task InitializeAsync()
    {
        App = await CohostedRelayApp.StartAsync(_authority, allowLoopbackPeers: true, relayPorts: 200);
        await App.Cli.RunOkAsync("realm", "add", "--realm", CohostedRelayApp.Realm);
        await App.Cli.RunOkAsync("user", "add", "--realm", CohostedRelayApp.Realm, "--user", User, "--password", Password);
        Peer = await TurnutilsPeer.StartAsync();
        IPv6Peer = await TurnutilsPeer.StartAsync(IPAddress.IPv6Loopback);
    }

    public TurnServerTarget Target(ClientTransport transport) => App.Target(transport, User, Password);

    public TurnServerTarget IPv6Target(ClientTransport transport) => App.IPv6Target(transport, User, Password);

    /// <summary>Headless Chromium with an NSS database that trusts the test CA (started once, on first use).</summary>
    public Task<WebRtcRelayPage> BrowserAsync() => (_browser ??= new TrustingBrowser(_authority.CertificatePem)).GetAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        if (IPv6Peer is not null) await IPv6Peer.DisposeAsync();
        if (Peer is not null) await Peer.DisposeAsync();
        if (App is not null) await App.DisposeAsync();
        _authority.Dispose();
    }
}
