using System.Net;
using System.Text;
using Turn.Protocol;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Realms;

/// <summary>Realm selection, the realm-bound nonce and TURN REST names carrying their realm, through the engine.</summary>
public sealed class RealmRequestTests : IDisposable
{
    private const string Realm2 = "realm2.test";
    private const string Origin2 = "https://tenant2.example";
    private const string Secret2 = "realm2-secret";

    private readonly EngineHarness _harness = new(o =>
    {
        o.OriginRealms = [$"{Origin2}={Realm2}"];
        o.AddressRealms = [$"192.0.2.99={Realm2}"];
        o.Users.Add(new RelayUser { Name = "carol", Password = "carol-pw", Realm = Realm2 });
        o.RealmSharedSecrets = new() { [Realm2] = [Secret2] };
    });

    public void Dispose() => _harness.Dispose();

    private static AttributeWriter AllocateWithOrigin(string origin) => (ref StunMessageWriter w) =>
    {
        w.WriteRequestedTransport(17);
        w.WriteAttribute(StunAttributeType.Origin, Encoding.UTF8.GetBytes(origin));
    };

    private static StunResponse ChallengeWithOrigin(TestClient client, string origin)
    {
        var challenge = client.Request(StunMethod.Allocate, AllocateWithOrigin(origin), authenticate: false);
        Assert.Equal(401, challenge.ErrorCode);
        client.Nonce = challenge.Nonce;
        client.Realm = challenge.Realm!;
        return challenge;
    }

    [Fact]
    public void Origin_IsOfferedItsRealm_AndItsUserAllocatesThere()
    {
        var client = _harness.NewClient("carol", "carol-pw");
        Assert.Equal(Realm2, ChallengeWithOrigin(client, Origin2).Realm);
        Assert.True(client.Request(StunMethod.Allocate, AllocateWithOrigin(Origin2)).IsSuccess);
        Assert.Equal(Realm2, Assert.Single(_harness.Engine.State.GetSnapshot().Allocations).Realm);
        // Later requests need no ORIGIN: the nonce was offered with realm2 and the REALM says so.
        Assert.True(client.Refresh().IsSuccess);
    }

    [Fact]
    public void Origin_RealmOtherThanTheOffer_IsRefusedWithTheOffer()
    {
        var client = _harness.NewClient();
        ChallengeWithOrigin(client, Origin2);
        client.Realm = EngineHarness.Realm; // alice exists in the default realm, but realm2 was offered
        var refused = client.Request(StunMethod.Allocate, AllocateWithOrigin(Origin2));
        Assert.Equal(401, refused.ErrorCode);
        Assert.Equal(Realm2, refused.Realm);
        Assert.Empty(_harness.Engine.State.GetSnapshot().Allocations);
    }

    [Fact]
    public void UnmappedOrigin_IsOfferedTheDefault() =>
        Assert.Equal(EngineHarness.Realm, ChallengeWithOrigin(_harness.NewClient(), "https://unknown.example").Realm);

    [Fact]
    public void StaleNonce_KeepsTheRealmItWasOfferedWith()
    {
        var client = _harness.NewClient("carol", "carol-pw");
        client.RetryStaleNonce = false;
        ChallengeWithOrigin(client, Origin2);
        _harness.Advance(RelayLifetimes.Nonce + TimeSpan.FromSeconds(1));
        var stale = client.Allocate(); // no ORIGIN this time
        Assert.Equal(438, stale.ErrorCode);
        Assert.Equal(Realm2, stale.Realm);
        Assert.True(client.Allocate().IsSuccess);
    }

    [Fact]
    public void AddressReached_SelectsItsRealm()
    {
        var endpoint = new TestDatagramEndpoint(TransportAddress.FromIPAddress(IPAddress.Parse("192.0.2.99"), 3478));
        var client = new TestClient(_harness.Engine, endpoint, TransportAddress.FromIPAddress(IPAddress.Parse("203.0.113.50"), 41000), "carol", "carol-pw", "");
        Assert.Equal(Realm2, client.Challenge().Realm);
        Assert.True(client.Allocate().IsSuccess);
    }

    [Fact]
    public void RestNameCarryingItsRealm_SignedByThatRealm_WorksUnderTheDefaultOffer()
    {
        var username = TurnRestCredential.CreateUsername(_harness.Time.GetUtcNow().AddHours(1), "dave@" + Realm2);
        var client = _harness.NewClient(username, TurnRestCredential.ComputePassword(Secret2, username));
        Assert.Equal(EngineHarness.Realm, client.Challenge().Realm);
        Assert.True(client.Allocate().IsSuccess);
        var allocation = Assert.Single(_harness.Engine.State.GetSnapshot().Allocations);
        Assert.Equal(Realm2, allocation.Realm);
        Assert.True(client.Refresh().IsSuccess);
    }

    [Fact]
    public void RestNameCarryingItsRealm_SignedByTheDefaultRealmsSecret_IsRefused()
    {
        var username = TurnRestCredential.CreateUsername(_harness.Time.GetUtcNow().AddHours(1), "dave@" + Realm2);
        var client = _harness.NewClient(username, TurnRestCredential.ComputePassword("rest-secret-1", username));
        Assert.Equal(401, client.Allocate().ErrorCode);
    }

    [Fact]
    public void RestNameWithAnUnknownRealm_IsTheDefaultRealmsUser()
    {
        var username = TurnRestCredential.CreateUsername(_harness.Time.GetUtcNow().AddHours(1), "dave@nowhere.example");
        var client = _harness.NewClient(username, TurnRestCredential.ComputePassword("rest-secret-2", username));
        Assert.True(client.Allocate().IsSuccess);
        Assert.Equal(EngineHarness.Realm, Assert.Single(_harness.Engine.State.GetSnapshot().Allocations).Realm);
    }

    [Fact]
    public void PlainCoturnRestName_KeepsWorking()
    {
        var username = TurnRestCredential.CreateUsername(_harness.Time.GetUtcNow().AddHours(1), "dave");
        var client = _harness.NewClient(username, TurnRestCredential.ComputePassword("rest-secret-1", username));
        Assert.True(client.Allocate().IsSuccess);
    }
}
