using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// Two RTCPeerConnections in headless Chromium (iceTransportPolicy 'relay') open a data channel through
/// `turnstone serve` with a CLI-made user, over turn: UDP, turn: TCP and turns: (TLS verified against the
/// test CA in Chromium's own NSS database; nothing in Turnstone or Chromium is weakened).
/// </summary>
[Collection(RelayCollection.Name)]
[Trait("Category", "E2E")]
public sealed class CohostedWebRtcTests(CohostedRelayFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData(ClientTransport.Udp, "udp")]
    [InlineData(ClientTransport.Tcp, "tcp")]
    [InlineData(ClientTransport.Tls, "tls")]
    public async Task DataChannel_RelayToRelay_ExchangesMessages(ClientTransport transport, string relayProtocol)
    {
        var browser = await fixture.BrowserAsync();
        var url = WebRtcRelayPage.IceServerUrl(fixture.Target(transport));

        var result = await browser.ConnectAsync(url, CohostedRelayFixture.User, CohostedRelayFixture.Password, messages: 5);
        output.WriteLine($"{url}: {result}");

        Assert.True(result.Opened, $"{url}: {result}");
        Assert.Equal(5, result.Echoed);
        Assert.True(result.IsRelayPair, $"{url}: {result}");
        Assert.Equal(relayProtocol, result.LocalRelayProtocol);
    }
}
