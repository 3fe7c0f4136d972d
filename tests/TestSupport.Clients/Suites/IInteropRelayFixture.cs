namespace Turnstone.TestSupport.Clients.Suites;

/// <summary>
/// A server for the client suites (<see cref="TurnutilsSuite"/>, <see cref="AioiceSuite"/>, <see cref="WebRtcSuite"/>):
/// loopback peers allowed (the echo peers and the other browser's relay live on loopback), TLS with a certificate
/// from a test CA, and turnutils_peer echo peers on 127.0.0.1 and ::1.
/// </summary>
public interface IInteropRelayFixture : IRelayUnderTest
{
    TurnutilsPeer Peer { get; }

    TurnutilsPeer IPv6Peer { get; }

    /// <summary>The test CA's certificate (PEM file) that signed the TLS certificate.</summary>
    string CaFile { get; }

    /// <summary>Headless Chromium whose NSS database trusts the test CA (started once, on first use).</summary>
    Task<WebRtcRelayPage> BrowserAsync();
}
