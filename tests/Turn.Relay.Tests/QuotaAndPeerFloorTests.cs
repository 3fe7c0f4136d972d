using System.Net;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

/// <summary>Issue 13 end to end through the engine: quotas keyed and capped as documented, and the peer floor.</summary>
public sealed class QuotaAndPeerFloorTests
{
    private static readonly DateTimeOffset Later = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TestClient RestClient(EngineHarness harness, DateTimeOffset expiry, string user)
    {
        var username = TurnRestCredential.CreateUsername(expiry, user);
        return harness.NewClient(username, TurnRestCredential.ComputePassword("rest-secret-1", username));
    }

    [Fact]
    public void Allocate_FreshTurnRestCredentials_ShareTheUserPartsQuota()
    {
        using var harness = new EngineHarness(o => o.UserQuota = 2);
        Assert.True(RestClient(harness, Later, "alice").Allocate().IsSuccess);
        Assert.True(RestClient(harness, Later.AddSeconds(1), "alice").Allocate().IsSuccess);

        // A third credential minted for the same user part brings no fresh quota.
        Assert.Equal(486, RestClient(harness, Later.AddSeconds(2), "alice").Allocate().ErrorCode);
        Assert.True(RestClient(harness, Later.AddSeconds(2), "carol").Allocate().IsSuccess);
        // A long-term user of the same name is the same user of the realm: one quota (documented).
        Assert.Equal(486, harness.NewClient(EngineHarness.User, EngineHarness.Password).Allocate().ErrorCode);
        Assert.True(harness.NewClient("bob", "hunter2").Allocate().IsSuccess);
    }

    [Fact]
    public void Allocate_DefaultUserQuota_RefusesTheEleventh()
    {
        using var harness = new EngineHarness();
        for (var i = 0; i < RelayOptions.DefaultUserQuota; i++) Assert.True(harness.NewClient().Allocate().IsSuccess, $"allocation {i + 1}");
        Assert.Equal(486, harness.NewClient().Allocate().ErrorCode);
    }

    [Fact]
    public void Allocate_RealmQuotaAboveTheServers_IsCappedAtTheServers()
    {
        var policies = new TestRealmPolicyStore();
        policies.Policies[EngineHarness.Realm] = RealmPolicy.Empty with { UserQuota = 50, TotalQuota = 0 };
        using var harness = new EngineHarness(o => { o.UserQuota = 1; o.TotalQuota = 2; }, policies);
        Assert.True(harness.NewClient().Allocate().IsSuccess);
        Assert.Equal(486, harness.NewClient().Allocate().ErrorCode);
        Assert.True(harness.NewClient("bob", "hunter2").Allocate().IsSuccess);
        // The realm's total quota of 0 (unlimited) does not lift the server's 2 either.
        Assert.Equal(508, RestClient(harness, Later, "carol").Allocate().ErrorCode);
    }

    [Fact]
    public void Allocate_EvenPortWithReservation_CountsTwoAgainstTheUserQuota()
    {
        using var harness = new EngineHarness(o => o.UserQuota = 2);
        var first = harness.NewClient().Allocate((ref StunMessageWriter w) => w.WriteAttribute((ushort)StunAttributeType.EvenPort, [0x80]));
        Assert.True(first.IsSuccess);
        Assert.Equal(486, harness.NewClient().Allocate().ErrorCode);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("169.254.169.254")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("64:ff9b::7f00:1")]
    public void CreatePermission_RealmAllowForLoopbackAndLinkLocal_StillRefused(string peer)
    {
        var policies = new TestRealmPolicyStore();
        policies.Policies[EngineHarness.Realm] = RealmPolicy.Empty with { AllowedPeerRanges = ["127.0.0.0/8", "169.254.0.0/16", "::/0"] };
        using var harness = new EngineHarness(policies: policies);
        var client = harness.Allocated(out _);

        Assert.Equal(403, client.CreatePermission(TransportAddress.FromIPAddress(IPAddress.Parse(peer), 9)).ErrorCode);
        Assert.Equal(403, client.ChannelBind(0x4000, TransportAddress.FromIPAddress(IPAddress.Parse(peer), 9)).ErrorCode);
    }

    [Fact]
    public void CreatePermission_GlobalAllowForLoopback_IsTheSuperusersException()
    {
        var policies = new TestRealmPolicyStore();
        policies.Policies[""] = RealmPolicy.Empty with { AllowedPeerRanges = ["127.0.0.5"] };
        using var harness = new EngineHarness(policies: policies);
        var client = harness.Allocated(out _);

        Assert.True(client.CreatePermission(TransportAddress.FromIPAddress(IPAddress.Parse("127.0.0.5"), 9)).IsSuccess);
        Assert.Equal(403, client.CreatePermission(TransportAddress.FromIPAddress(IPAddress.Parse("127.0.0.6"), 9)).ErrorCode);
    }
}
