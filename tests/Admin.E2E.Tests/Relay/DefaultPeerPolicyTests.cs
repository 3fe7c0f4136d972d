using System.Net;
using Turnstone.TestSupport.Clients.Suites;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// `turnstone serve` with default settings refuses dangerous peers (the shared <see cref="PeerPolicySuite"/>, with
/// its rules in coturn's tables), and a global allowed_peer_ip rule (a superuser's exception) added to the database at
/// runtime takes effect within a second.
/// </summary>
[Collection(RelayCollection.Name)]
[Trait("Category", "E2E")]
public sealed class DefaultPeerPolicyTests : PeerPolicySuite, IClassFixture<DefaultPolicyAppFixture>
{
    // Not primary-constructor parameters: the base takes them too, and capturing them twice is a warning.
    private readonly DefaultPolicyAppFixture _fixture;
    private readonly ITestOutputHelper _output;

    public DefaultPeerPolicyTests(DefaultPolicyAppFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task GlobalAllowedPeerIpAddedAtRuntime_TakesEffectWithinASecond()
    {
        var peer = IPAddress.Parse("127.0.0.2");
        using var probe = new TurnProbe(_fixture.App.UdpEndPoint, CohostedRelayApp.Realm, DefaultPolicyAppFixture.User, DefaultPolicyAppFixture.Password);
        Assert.Equal(0, await probe.AllocateAsync());
        Assert.Equal(403, await probe.CreatePermissionAsync(peer));

        // Global (realm ''): a realm's allow rule would not open loopback (issue 13), and the fixture's realm has one.
        await _fixture.App.ExecuteSqlAsync("INSERT INTO allowed_peer_ip (realm, ip_range) VALUES ('', $1)", "127.0.0.2");
        try
        {
            var elapsed = await Within.AssertAsync(Within.ASecond, async () => await probe.CreatePermissionAsync(peer) == 0, "allowed_peer_ip rule applied");
            _output.WriteLine($"rule applied after {elapsed.TotalMilliseconds:F0} ms");
            // Only that address: its neighbour stays refused.
            Assert.Equal(403, await probe.CreatePermissionAsync(IPAddress.Parse("127.0.0.3")));
        }
        finally
        {
            // Only this test's rule: the fixture's own allow rule stays.
            await _fixture.App.ExecuteSqlAsync("DELETE FROM allowed_peer_ip WHERE realm = '' AND ip_range = $1", "127.0.0.2");
        }
        await Within.AssertAsync(Within.ASecond, async () => await probe.CreatePermissionAsync(peer) == 403, "rule removed");
        Assert.Equal(0, await probe.RefreshAsync(0));
    }
}
