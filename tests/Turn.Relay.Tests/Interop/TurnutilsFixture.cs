using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>One relay (loopback peers allowed, TLS with a test-CA certificate) and one turnutils_peer echo peer for the turnutils tests.</summary>
public sealed class TurnutilsFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("turnstone-turnutils-").FullName;
    private TestCertificateAuthority? _authority;

    public InteropRelayHost Relay { get; private set; } = null!;

    public TurnutilsPeer Peer { get; private set; } = null!;

    /// <summary>The test CA's certificate as a PEM file (uclient -E).</summary>
    public string CaFile { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _authority = new TestCertificateAuthority();
        var certificate = _authority.IssueServerCertificate(_directory);
        CaFile = _authority.WriteCertificate(Path.Combine(_directory, "ca.pem"));
        Relay = await InteropRelayHost.StartAsync(allowLoopbackPeers: true, tls: true, certificate: certificate);
        Peer = await TurnutilsPeer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Peer is not null)
        {
            await Peer.DisposeAsync();
        }

        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }

        _authority?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
