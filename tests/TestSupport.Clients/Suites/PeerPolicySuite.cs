using Xunit.Abstractions;

namespace Turnstone.TestSupport.Clients.Suites;

/// <summary>
/// CreatePermission and ChannelBind to dangerous peers get 403 with default settings, from real clients (aioice,
/// uclient), even though the suite user's realm has allow rules for 127.0.0.0/8 and 169.254.0.0/16
/// (<see cref="IPeerPolicyRelayFixture.RealmAllowRanges"/>); ordinary peers and a superuser's global exception succeed.
/// </summary>
public abstract class PeerPolicySuite(IPeerPolicyRelayFixture fixture, ITestOutputHelper output)
{
    private const int PeerPort = 3480;

    private string[] ForbiddenPeers =>
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
        fixture.DeniedByGlobalRule,
    ];

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task CreatePermissionAndChannelBind_ForbiddenPeers_Get403(ClientTransport transport)
    {
        var peers = ForbiddenPeers;
        var result = await AioiceTurnClient.TryPeersAsync(fixture.Target(transport), peers, peerPort: PeerPort);
        output.WriteLine(result.Output);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.Equal(peers, result.Peers.Select(p => p.Peer));
        AssertAll(result, expected: 403);
    }

    [Fact]
    public async Task CreatePermissionAndChannelBind_OnAnIPv6Allocation_ForbiddenPeersGet403()
    {
        // coturn 4.6.1 lets ::ffff:127.0.0.1 through on an IPv6 allocation; Turnstone must not.
        // The client comes over ::1, so the relay binds its IPv6 relay on ::1.
        string[] peers = ["::1", "::ffff:127.0.0.1", "::127.0.0.1", "fe80::1", "::"];

        var result = await AioiceTurnClient.TryPeersAsync(fixture.IPv6Target(ClientTransport.Udp), peers, peerPort: PeerPort, family: "ipv6");
        output.WriteLine(result.Output);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.Equal("::1", result.RelayedAddress![0].ToString());
        Assert.Equal(peers, result.Peers.Select(p => p.Peer));
        AssertAll(result, expected: 403);
    }

    [Fact]
    public async Task CreatePermissionAndChannelBind_PublicAndExplicitlyAllowedPeers_Succeed()
    {
        // The same relay accepts an ordinary peer and the loopback address a global (superuser) allow rule opens, so
        // the 403s above come from the policy, not from a relay that refuses everything.
        string[] peers = ["192.0.2.10", fixture.AllowedByGlobalException];

        var result = await AioiceTurnClient.TryPeersAsync(fixture.Target(ClientTransport.Udp), peers, peerPort: PeerPort);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.Equal(peers, result.Peers.Select(p => p.Peer));
        AssertAll(result, expected: 0);
    }

    [Fact]
    public async Task Uclient_ToLoopbackPeer_WithDefaultSettings_RelaysNothing()
    {
        var result = await TurnutilsUclient.RunAsync(
            fixture.Target(ClientTransport.Udp),
            new UclientOptions { Messages = 5, Clients = 1, PeerAddress = "127.0.0.1", PeerPort = PeerPort, Timeout = TimeSpan.FromSeconds(20) });
        output.WriteLine(result.Process.Output);

        Assert.Contains(403, result.ErrorCodes);
        Assert.False(result.IsZeroLoss(5), result.Process.Output);
        Assert.True(result.ReceivedMessages is null or 0, result.Process.Output);
    }

    private static void AssertAll(AioiceForbiddenResult result, int expected) => Assert.All(result.Peers, p =>
    {
        Assert.True(p.CreatePermission == expected, $"CreatePermission to {p.Peer} answered {p.CreatePermission}, expected {expected}");
        Assert.True(p.ChannelBind == expected, $"ChannelBind to {p.Peer} answered {p.ChannelBind}, expected {expected}");
    });
}
