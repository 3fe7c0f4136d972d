using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Turn.Relay.Tests.Interop;

/// <summary>CreatePermission and ChannelBind to dangerous peers get 403 with default settings, from a real client (aioice).</summary>
[Trait("Category", "Interop")]
public sealed class PeerPolicyInteropTests(DefaultPolicyRelayFixture fixture, ITestOutputHelper output) : IClassFixture<DefaultPolicyRelayFixture>
{
    private static readonly string[] ForbiddenPeers =
    [
        "127.0.0.1",
        "::1",
        "::ffff:127.0.0.1",
        "::127.0.0.1",
        "0.0.0.0",
        "::",
        "169.254.169.254",
        "::ffff:169.254.169.254",
        "fe80::1",
        "224.0.0.1",
        "255.255.255.255",
        DefaultPolicyRelayFixture.DeniedByRule,
    ];

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task CreatePermissionAndChannelBind_ForbiddenPeers_Get403(ClientTransport transport)
    {
        var result = await AioiceTurnClient.TryPeersAsync(fixture.Relay.Target(transport), ForbiddenPeers, peerPort: 3480);
        output.WriteLine(result.Output);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.Equal(ForbiddenPeers, result.Peers.Select(p => p.Peer));
        Assert.All(result.Peers, p =>
        {
            Assert.True(p.CreatePermission == 403, $"CreatePermission to {p.Peer} answered {p.CreatePermission}, expected 403");
            Assert.True(p.ChannelBind == 403, $"ChannelBind to {p.Peer} answered {p.ChannelBind}, expected 403");
        });
    }

    [Fact]
    public async Task CreatePermissionAndChannelBind_PublicAndExplicitlyAllowedPeers_Succeed()
    {
        // The same relay accepts an ordinary peer and one its realm allows explicitly, so the 403s
        // above come from the policy, not from a relay that refuses everything.
        string[] peers = ["192.0.2.10", DefaultPolicyRelayFixture.AllowedByRealmRule];

        var result = await AioiceTurnClient.TryPeersAsync(fixture.Relay.Target(ClientTransport.Udp), peers, peerPort: 3480);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.All(result.Peers, p =>
        {
            Assert.True(p.CreatePermission == 0, $"CreatePermission to {p.Peer} answered {p.CreatePermission}");
            Assert.True(p.ChannelBind == 0, $"ChannelBind to {p.Peer} answered {p.ChannelBind}");
        });
    }

    [Fact]
    public async Task Uclient_ToLoopbackPeer_WithDefaultSettings_RelaysNothing()
    {
        var result = await TurnutilsUclient.RunAsync(
            fixture.Relay.Target(ClientTransport.Udp),
            new UclientOptions { Messages = 5, Clients = 1, PeerAddress = "127.0.0.1", PeerPort = 3480, Timeout = TimeSpan.FromSeconds(20) });
        output.WriteLine(result.Process.Output);

        Assert.Contains(403, result.ErrorCodes);
        Assert.False(result.IsZeroLoss(5), result.Process.Output);
        Assert.True(result.ReceivedMessages is null or 0, result.Process.Output);
    }
}
