using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Turn.Relay.Tests.Interop;

/// <summary>Two RTCPeerConnections in headless Chromium, relay candidates only, through Turnstone.</summary>
[Trait("Category", "Interop")]
public sealed class WebRtcInteropTests(WebRtcFixture fixture, ITestOutputHelper output) : IClassFixture<WebRtcFixture>
{
    private const int Messages = 5;

    [Theory]
    [InlineData(ClientTransport.Udp, "udp")]
    [InlineData(ClientTransport.Tcp, "tcp")]
    [InlineData(ClientTransport.Tls, "tls")]
    public async Task Chromium_DataChannelOverTurn_UsesARelayPair(ClientTransport transport, string relayProtocol)
    {
        var server = fixture.Relay.Target(transport);
        var url = WebRtcRelayPage.IceServerUrl(server);

        var result = await fixture.Browser.ConnectAsync(url, server.User, server.Password, Messages, TimeSpan.FromSeconds(20));
        output.WriteLine($"{url}: {result}");

        Assert.True(result.Opened, result.ToString());
        Assert.Equal(Messages, result.Sent);
        Assert.Equal(Messages, result.Echoed);
        Assert.True(result.IsRelayPair, result.ToString());
        Assert.Equal(relayProtocol, result.LocalRelayProtocol);
        Assert.StartsWith("127.0.0.1:", result.LocalAddress, StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:", result.RemoteAddress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chromium_Turns_WithoutTrustingTheCa_RefusesTheCertificate()
    {
        // The control for the turns: case above: the same server, a browser whose NSS database
        // does not hold the test CA. Chromium reports the failed TLS connection as error 701.
        var server = fixture.Relay.Target(ClientTransport.Tls);
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
        var server = fixture.Relay.Target(ClientTransport.Udp);

        var result = await fixture.Browser.ConnectAsync(WebRtcRelayPage.IceServerUrl(server), server.User, "not-the-password", Messages, TimeSpan.FromSeconds(6));
        output.WriteLine(result.ToString());

        Assert.False(result.Opened, result.ToString());
        Assert.Empty(result.Candidates);
        Assert.Contains(result.CandidateErrors, e => e.Contains(" 401 ", StringComparison.Ordinal));
    }
}
