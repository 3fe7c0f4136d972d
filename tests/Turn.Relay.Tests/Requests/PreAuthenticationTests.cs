using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Requests;

/// <summary>
/// The pre-authentication stage runs before any credential or USERHASH lookup: junk, stale or wrong-realm nonces and
/// control characters are answered without asking the store (a counting store proves it).
/// </summary>
public sealed class PreAuthenticationTests : IDisposable
{
    private readonly CountingCredentialStore<ConfigurationCredentialStore> _store;
    private readonly EngineHarness _harness;

    public PreAuthenticationTests()
    {
        _store = new CountingCredentialStore<ConfigurationCredentialStore>(new ConfigurationCredentialStore(Options.Create(new RelayOptions
        {
            DefaultRealm = EngineHarness.Realm,
            Users = [new RelayUser { Name = EngineHarness.User, Password = EngineHarness.Password }],
            SharedSecrets = ["rest-secret-1"],
        })));
        _harness = new EngineHarness(credentials: _store, userHashResolver: _store);
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void NoIntegrity_FirstChallenge_CarriesRealmNonceAndAlgorithms_WithoutLookup()
    {
        var challenge = _harness.NewClient().Challenge();
        Assert.Equal(EngineHarness.Realm, challenge.Realm);
        Assert.Equal(37, challenge.Nonce!.Length);
        Assert.True(challenge.HasPasswordAlgorithms);
        Assert.Equal(0, _store.Lookups);
    }

    [Theory]
    [InlineData("")]
    [InlineData("junk")]
    [InlineData("obMatJos2gAAA000000000000000000000000")]
    [InlineData("obMatJos2gAAAffffffffAAAAAAAAAAAAAAAA")]
    public void JunkNonce_Gets401WithAFreshNonce_WithoutLookup(string junk)
    {
        var client = _harness.NewClient();
        client.Challenge();
        client.Nonce = junk;
        var response = client.Allocate();
        Assert.Equal(401, response.ErrorCode);
        Assert.Equal(EngineHarness.Realm, response.Realm);
        Assert.NotNull(response.Nonce);
        Assert.Equal(0, _store.Lookups);
    }

    [Fact]
    public void JunkNonce_WithUserHash_Gets401_WithoutResolvingTheHash()
    {
        var client = _harness.NewClient();
        client.UseUserHash = true;
        client.Challenge();
        client.Nonce = "obMatJos2gAAA000000000000000000000000";
        Assert.Equal(401, client.Allocate().ErrorCode);
        Assert.Equal(0, _store.Lookups);
    }

    [Fact]
    public void StaleNonce_Gets438ForTheSameRealm_WithoutLookup()
    {
        var client = _harness.NewClient();
        client.RetryStaleNonce = false;
        client.Challenge();
        _harness.Advance(RelayLifetimes.Nonce + TimeSpan.FromSeconds(1));
        var stale = client.Allocate();
        Assert.Equal(438, stale.ErrorCode);
        Assert.Equal(EngineHarness.Realm, stale.Realm);
        Assert.Equal(0, _store.Lookups);
    }

    [Fact]
    public void RealmOtherThanTheOffer_Gets401WithTheOffer_WithoutLookup()
    {
        var client = _harness.NewClient();
        client.Challenge();
        client.Realm = "another.realm";
        var response = client.Allocate();
        Assert.Equal(401, response.ErrorCode);
        Assert.Equal(EngineHarness.Realm, response.Realm);
        Assert.Equal(0, _store.Lookups);
    }

    [Theory]
    [InlineData("al\0ice", null)]
    [InlineData("alice\u007f", null)]
    [InlineData("ali\u0001ce", null)]
    [InlineData("alice\u0085", null)]
    [InlineData("alice", "example\0org")]
    [InlineData("alice", "example.org\n")]
    public void ControlCharacters_Get400_WithoutLookup(string username, string? realm)
    {
        var client = _harness.NewClient();
        client.Challenge();
        client.Username = username;
        if (realm is not null) client.Realm = realm;
        Assert.Equal(400, client.Allocate().ErrorCode);
        Assert.Equal(0, _store.Lookups);
    }

    [Fact]
    public void InvalidUtf8Username_Gets400_WithoutLookup()
    {
        var client = _harness.NewClient();
        client.Challenge();
        var id = TransactionId.NewRandom();
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Allocate, StunClass.Request, id);
        writer.WriteRequestedTransport(17);
        writer.WriteAttribute(StunAttributeType.Username, [0x61, 0xC3, 0x28]);
        writer.WriteString(StunAttributeType.Realm, client.Realm);
        writer.WriteString(StunAttributeType.Nonce, client.Nonce!);
        writer.WriteMessageIntegrity(client.Key);
        client.SendRaw(buffer.AsSpan(0, writer.Length));
        Assert.Equal(400, StunResponse.Parse(Assert.Single(client.Drain())).ErrorCode);
        Assert.Equal(0, _store.Lookups);
    }

    [Fact]
    public void ValidNonce_ThenTheStoreIsAsked_AndTheConnectionIsMarkedAuthenticated()
    {
        var client = _harness.NewStreamClient(out var connection);
        client.Challenge();
        Assert.False(connection.IsAuthenticated);
        Assert.True(client.Allocate().IsSuccess);
        Assert.True(_store.Lookups > 0);
        Assert.True(connection.IsAuthenticated);
    }

    [Fact]
    public void WrongPassword_WithOurNonce_IsLookedUpButLeavesTheConnectionUnauthenticated()
    {
        var client = _harness.NewStreamClient(out var connection);
        client.Password = "wrong";
        Assert.Equal(401, client.Allocate().ErrorCode);
        Assert.Equal(1, _store.Lookups);
        Assert.False(connection.IsAuthenticated);
    }
}
