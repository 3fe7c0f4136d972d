using Xunit.Abstractions;

namespace Turnstone.TestSupport.Clients.Suites;

/// <summary>
/// Two RTCPeerConnections in headless Chromium (iceTransportPolicy 'relay') open a data channel through a
/// Turnstone host over turn: UDP, turn: TCP and turns: (TLS verified against the test CA in Chromium's own NSS
/// database; nothing in Turnstone or Chromium is weakened).
/// </summary>
public abstract class WebRtcSuite(IInteropRelayFixture fixture, ITestOutputHelper output)
{
    private const int Messages = 5;

    [Theory]
    [InlineData(ClientTransport.Udp, "udp")]
    [InlineData(ClientTransport.Tcp, "tcp")]
    [InlineData(ClientTransport.Tls, "tls")]
    public async Task Chromium_DataChannelOverTurn_UsesARelayPair(ClientTransport transport, string relayProtocol)
    {
        var browser = await fixture.BrowserAsync();
        var server = fixture.Target(transport);
        var url = WebRtcRelayPage.IceServerUrl(server);

        var result = await browser.ConnectAsync(url, server.User, server.Password, Messages, TimeSpan.FromSeconds(20));
        output.WriteLine($"{url}: {result}");

        Assert.True(result.Opened, $"{url}: {result}");
        Assert.Equal(Messages, result.Sent);
        Assert.Equal(Messages, result.Echoed);
        Assert.True(result.IsRelayPair, $"{url}: {result}");
        Assert.Equal(relayProtocol, result.LocalRelayProtocol);
        Assert.StartsWith("127.0.0.1:", result.LocalAddress, StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:", result.RemoteAddress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chromium_Turns_WithoutTrustingTheCa_RefusesTheCertificate()
    {
        // The control for the turns: case above: the same server, a browser whose NSS database
        // does not hold the test CA. Chromium reports the failed TLS connection as error 701.
        var server = fixture.Target(ClientTransport.Tls);
        await using var untrusting = await WebRtcRelayPage.LaunchAsync();

        var result = await untrusting.ConnectAsync(WebRtcRelayPage.IceServerUrl(server), server.User, server.Password, Messages, TimeSpan.FromSeconds(6));
        output.WriteLine(result.ToString());

        Assert.False(result.Opened, result.ToString());
        Assert.Empty(result.Candidates);
        Assert.Contains(result.CandidateErrors, e => e.Contains(" 701 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chromium_WrongPassword_NeverConnects()
    {
        var browser = await fixture.BrowserAsync();
        var server = fixture.Target(ClientTransport.Udp);

        var result = await browser.ConnectAsync(WebRtcRelayPage.IceServerUrl(server), server.User, "not-the-password", Messages, TimeSpan.FromSeconds(6));
        output.WriteLine(result.ToString());

        Assert.False(result.Opened, result.ToString());
        Assert.Empty(result.Candidates);
        Assert.Contains(result.CandidateErrors, e => e.Contains(" 401 ", StringComparison.Ordinal));
    }
}
