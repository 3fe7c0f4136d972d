using System.Net;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// `turnstone serve` with default settings refuses dangerous peers (403 from CreatePermission and ChannelBind,
/// seen by aioice), and an allowed_peer_ip rule added to the database at runtime takes effect within a second.
/// </summary>
[Collection(RelayCollection.Name)]
[Trait("Category", "E2E")]
public sealed class DefaultPeerPolicyTests(DefaultPolicyAppFixture fixture, ITestOutputHelper output) : IClassFixture<DefaultPolicyAppFixture>
{
    private static readonly string[] ForbiddenPeers = ["127.0.0.1", "::1", "::ffff:127.0.0.1", "0.0.0.0", "169.254.169.254"];

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task CreatePermissionAndChannelBind_ToForbiddenPeers_Get403(ClientTransport transport)
    {
        var result = await AioiceTurnClient.TryPeersAsync(fixture.Target(transport), ForbiddenPeers, peerPort: 3480);
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
    public async Task AllowedPeerIpAddedAtRuntime_TakesEffectWithinASecond()
    {
        var peer = IPAddress.Parse("127.0.0.2");
        using var probe = new TurnProbe(fixture.App.UdpEndPoint, CohostedRelayApp.Realm, DefaultPolicyAppFixture.User, DefaultPolicyAppFixture.Password);
        Assert.Equal(0, await probe.AllocateAsync());
        Assert.Equal(403, await probe.CreatePermissionAsync(peer));

        await fixture.App.ExecuteSqlAsync("INSERT INTO allowed_peer_ip (realm, ip_range) VALUES ($1, $2)", CohostedRelayApp.Realm, "127.0.0.2");
        try
        {
            var elapsed = await Within.AssertAsync(Within.ASecond, async () => await probe.CreatePermissionAsync(peer) == 0, "allowed_peer_ip rule applied");
            output.WriteLine($"rule applied after {elapsed.TotalMilliseconds:F0} ms");
            // Only that address: its neighbour stays refused.
            Assert.Equal(403, await probe.CreatePermissionAsync(IPAddress.Parse("127.0.0.3")));
        }
        finally
        {
            await fixture.App.ExecuteSqlAsync("DELETE FROM allowed_peer_ip WHERE realm = $1", CohostedRelayApp.Realm);
        }
        await Within.AssertAsync(Within.ASecond, async () => await probe.CreatePermissionAsync(peer) == 403, "rule removed");
        Assert.Equal(0, await probe.RefreshAsync(0));
    }
}
