using System.Net;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// The relay on a multi-homed host (network namespaces, <see cref="MultiHomedRelayFixture"/>),
/// listening on the wildcards: aioice in the client namespace reaches each of the host's two
/// addresses over UDP and TCP, gets a relayed address equal to the address it reached, and a
/// peer in a third namespace (turnutils_peer) echoes through that relayed address: Send/Data
/// indications and ChannelData both ways. IPv4 and IPv6 (a ULA /64). coturn's turnutils_uclient
/// relays through the second address without loss.
/// </summary>
public sealed class MultiHomedNamespaceTests(MultiHomedRelayFixture fixture) : IClassFixture<MultiHomedRelayFixture>
{
    [Theory]
    [InlineData(ClientTransport.Udp, 0)]
    [InlineData(ClientTransport.Udp, 1)]
    [InlineData(ClientTransport.Tcp, 0)]
    [InlineData(ClientTransport.Tcp, 1)]
    public async Task IPv4_ClientReachingEachAddress_IsRelayedOnThatAddress(ClientTransport transport, int address)
    {
        var reached = fixture.Lab.ServerAddresses[address];
        var port = transport == ClientTransport.Udp ? fixture.UdpPort : fixture.TcpPort;
        var result = await RelayAsync(reached, port, transport, fixture.Lab.PeerAddress, family: null);
        AssertRelayedOn(reached, result);
    }

    [Theory]
    [InlineData(ClientTransport.Udp, 0)]
    [InlineData(ClientTransport.Udp, 1)]
    [InlineData(ClientTransport.Tcp, 0)]
    [InlineData(ClientTransport.Tcp, 1)]
    public async Task IPv6_ClientReachingEachAddress_IsRelayedOnThatAddress(ClientTransport transport, int address)
    {
        var reached = fixture.Lab.ServerIPv6Addresses[address];
        var port = transport == ClientTransport.Udp ? fixture.UdpIPv6Port : fixture.TcpIPv6Port;
        // REQUESTED-ADDRESS-FAMILY IPv6: without it RFC 8656 relays on IPv4 (the host's own address then).
        var result = await RelayAsync(reached, port, transport, fixture.Lab.PeerIPv6Address, family: "ipv6");
        AssertRelayedOn(reached, result);
    }

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task Uclient_ReachingTheSecondAddress_RelaysToThePeerWithoutLoss(ClientTransport transport)
    {
        // The second address is not the one the kernel would pick as a reply's source on that link:
        // uclient hears back only if replies leave from the address it reached.
        var reached = fixture.Lab.ServerAddresses[1];
        var port = transport == ClientTransport.Udp ? fixture.UdpPort : fixture.TcpPort;
        var server = new TurnServerTarget(reached.ToString(), port, transport, InteropRelayHost.Realm, InteropRelayHost.User, InteropRelayHost.Password);
        var options = new UclientOptions
        {
            Messages = 10,
            PeerAddress = fixture.Lab.PeerAddress.ToString(),
            PeerPort = MultiHomedRelayFixture.PeerPort,
            Timeout = TimeSpan.FromSeconds(20),
        };
        var process = await ExternalProcess.RunAsync("ip",
            ["netns", "exec", fixture.Lab.ClientNamespace, "timeout", "--kill-after=2", "20", TurnutilsUclient.Executable, .. TurnutilsUclient.BuildArguments(server, options)],
            TimeSpan.FromSeconds(25));
        var result = TurnutilsUclient.Parse(process);
        Assert.True(result.IsZeroLoss(10), process.Output);
    }

    private Task<AioiceRelayResult> RelayAsync(IPAddress server, int port, ClientTransport transport, IPAddress peer, string? family) =>
        AioiceTurnClient.RelayAsync(
            new TurnServerTarget(server.ToString(), port, transport, InteropRelayHost.Realm, InteropRelayHost.User, InteropRelayHost.Password),
            peer.ToString(), MultiHomedRelayFixture.PeerPort, channelMessages: 3, timeout: TimeSpan.FromSeconds(20), family: family,
            networkNamespace: fixture.Lab.ClientNamespace);

    private static void AssertRelayedOn(IPAddress reached, AioiceRelayResult result)
    {
        Assert.True(result.Ok, $"aioice failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.Equal(reached.ToString(), result.RelayedAddress?[0]?.ToString());
        // The peer's echo came back through the relayed address: it is reachable from the other side.
        Assert.True(result.DataIndicationEchoed, result.Output);
        Assert.Equal(3, result.ChannelMessagesEchoed);
    }
}
