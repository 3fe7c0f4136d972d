using System.Net;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

public sealed class AllocateTests : IDisposable
{
    private readonly EngineHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Allocate_WithoutCredentials_Returns401WithRealmNonceAndPasswordAlgorithms()
    {
        var client = _harness.NewClient();
        var response = client.Challenge();
        Assert.Equal(StunClass.ErrorResponse, response.Class);
        Assert.Equal(EngineHarness.Realm, response.Realm);
        Assert.StartsWith("obMatJos2", response.Nonce, StringComparison.Ordinal);
        Assert.True(response.HasPasswordAlgorithms);
        Assert.False(response.HasMessageIntegrity);
        Assert.Equal("Turnstone", response.Software);
        Assert.Equal(0, _harness.Sink.Count(RelayEventKind.AuthenticationFailed));
    }

    [Fact]
    public void Allocate_Valid_ReturnsRelayedAndMappedAddressesLifetimeAndIntegrity()
    {
        var client = _harness.NewClient();
        var response = client.Allocate();
        Assert.True(response.IsSuccess);
        Assert.True(response.VerifyIntegrity(client.Key));
        Assert.Equal(client.Address, response.XorMappedAddress);
        Assert.Equal(600u, response.Lifetime);
        var relayed = response.XorRelayedAddress!.Value;
        Assert.Equal(EngineHarness.ServerAddress.WithPort(0), relayed.WithPort(0));
        Assert.InRange(relayed.Port, 50000, 50099);
        Assert.Equal(1, _harness.Sink.Count(RelayEventKind.AllocationCreated));
        Assert.Equal(1, _harness.Engine.AllocationCount);
    }

    [Fact]
    public void Allocate_WrongPassword_Returns401AndCountsFailure()
    {
        var client = _harness.NewClient(password: "wrong");
        var response = client.Allocate();
        Assert.Equal(401, response.ErrorCode);
        Assert.NotNull(response.Nonce);
        Assert.Equal(1, _harness.Sink.Count(RelayEventKind.AuthenticationFailed));
        Assert.Equal(0, _harness.Engine.AllocationCount);
    }

    [Fact]
    public void Allocate_UnknownUser_Returns401()
    {
        var client = _harness.NewClient(user: "mallory");
        Assert.Equal(401, client.Allocate().ErrorCode);
        Assert.Contains(_harness.Sink.Events, e => e.Kind == RelayEventKind.AuthenticationFailed && e.Reason == "unknown_user");
    }

    [Fact]
    public void Allocate_ExpiredNonce_Returns438ThenSucceedsWithTheNewNonce()
    {
        var client = _harness.NewClient();
        client.RetryStaleNonce = false;
        client.Challenge();
        _harness.Advance(RelayLifetimes.Nonce + TimeSpan.FromSeconds(1));
        var stale = client.Allocate();
        Assert.Equal(438, stale.ErrorCode);
        Assert.NotNull(stale.Nonce);
        Assert.Equal(EngineHarness.Realm, stale.Realm);
        Assert.True(client.Allocate().IsSuccess);
    }

    // Not a nonce of ours: 401 with a fresh one (issue 13; it was 438 before the pre-authentication stage).
    [Fact]
    public void Allocate_ForgedNonce_Returns401WithAFreshNonce()
    {
        var client = _harness.NewClient();
        client.RetryStaleNonce = false;
        client.Challenge();
        client.Nonce = "obMatJos2gAAA" + new string('0', 24);
        var response = client.Allocate();
        Assert.Equal(401, response.ErrorCode);
        Assert.NotNull(response.Nonce);
        Assert.NotEqual(client.Nonce, response.Nonce);
    }

    [Fact]
    public void Allocate_NonceFromAnotherClient_Returns401()
    {
        var first = _harness.NewClient();
        first.Challenge();
        var second = _harness.NewClient();
        second.RetryStaleNonce = false;
        second.Nonce = first.Nonce;
        Assert.Equal(401, second.Allocate().ErrorCode);
    }

    [Fact]
    public void Allocate_MissingRequestedTransport_Returns400()
    {
        var client = _harness.NewClient();
        Assert.Equal(400, client.Request(StunMethod.Allocate).ErrorCode);
    }

    [Fact]
    public void Allocate_MissingUsername_Returns400()
    {
        var client = _harness.NewClient();
        client.Challenge();
        var id = TransactionId.NewRandom();
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Allocate, StunClass.Request, id);
        writer.WriteRequestedTransport(17);
        writer.WriteString(StunAttributeType.Realm, EngineHarness.Realm);
        writer.WriteString(StunAttributeType.Nonce, client.Nonce!);
        writer.WriteMessageIntegrity(client.Key);
        client.SendRaw(buffer.AsSpan(0, writer.Length));
        Assert.Equal(400, StunResponse.Parse(Assert.Single(client.Drain())).ErrorCode);
    }

    [Fact]
    public void Allocate_TcpRelay_Returns442()
    {
        var client = _harness.NewClient();
        var response = client.Request(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(6));
        Assert.Equal(442, response.ErrorCode);
        Assert.True(response.VerifyIntegrity(client.Key));
    }

    [Fact]
    public void Allocate_UnknownAddressFamily_Returns440()
    {
        var client = _harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) => w.WriteRequestedAddressFamily((StunAddressFamily)3));
        Assert.Equal(440, response.ErrorCode);
    }

    [Fact]
    public void Allocate_IPv6Relay_UnsupportedWhenRelayAddressIsIPv4_Returns440()
    {
        using var harness = new EngineHarness(o => o.RelayAddress = "192.0.2.1");
        var client = harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) => w.WriteRequestedAddressFamily(StunAddressFamily.IPv6));
        Assert.Equal(440, response.ErrorCode);
    }

    [Fact]
    public void Allocate_IPv6Relay_WhenRelayAddressIsIPv6_ReturnsIPv6RelayedAddress()
    {
        using var harness = new EngineHarness(o => o.RelayAddress = "2001:db8::1");
        var client = harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) => w.WriteRequestedAddressFamily(StunAddressFamily.IPv6));
        Assert.True(response.IsSuccess);
        Assert.True(response.XorRelayedAddress!.Value.IsIPv6);
    }

    [Fact]
    public void Allocate_Twice_WithNewTransaction_Returns437()
    {
        var client = _harness.NewClient();
        Assert.True(client.Allocate().IsSuccess);
        var second = client.Allocate();
        Assert.Equal(437, second.ErrorCode);
        Assert.Equal(1, _harness.Engine.AllocationCount);
    }

    [Fact]
    public void Allocate_Retransmission_GetsTheSameResponseFromTheCache()
    {
        var client = _harness.NewClient();
        client.Challenge();
        var id = TransactionId.NewRandom();
        var request = client.BuildRequest(StunMethod.Allocate, id, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: true);
        client.SendRaw(request);
        var first = Assert.Single(client.Drain());
        client.SendRaw(request);
        var second = Assert.Single(client.Drain());
        Assert.Equal(first, second);
        Assert.True(StunResponse.Parse(first).IsSuccess);
        Assert.Single(_harness.Sockets.Bound);
    }

    [Fact]
    public void Allocate_RetransmissionAfterCacheExpiry_StillGetsSuccessForTheSameAllocation()
    {
        var client = _harness.NewClient();
        client.Challenge();
        var id = TransactionId.NewRandom();
        var request = client.BuildRequest(StunMethod.Allocate, id, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: true);
        client.SendRaw(request);
        var first = StunResponse.Parse(Assert.Single(client.Drain()));
        _harness.Advance(TimeSpan.FromSeconds(45)); // past the 40 s cache
        client.SendRaw(request);
        var second = StunResponse.Parse(Assert.Single(client.Drain()));
        Assert.True(second.IsSuccess);
        Assert.Equal(first.XorRelayedAddress, second.XorRelayedAddress);
    }

    [Theory]
    [InlineData(7200u, 3600u)]
    [InlineData(10u, 600u)]
    [InlineData(1200u, 1200u)]
    public void Allocate_Lifetime_IsClampedBetweenDefaultAndMaximum(uint requested, uint granted)
    {
        var client = _harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) => w.WriteLifetime(requested));
        Assert.Equal(granted, response.Lifetime);
    }

    [Fact]
    public void Allocate_EvenPortWithReserve_ReturnsEvenPortAndTokenForTheNextPort()
    {
        var client = _harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) => w.WriteEvenPort(true));
        Assert.True(response.IsSuccess);
        var port = response.XorRelayedAddress!.Value.Port;
        Assert.Equal(0, port % 2);
        Assert.NotNull(response.ReservationToken);
        Assert.True(_harness.Sockets.Bound.ContainsKey((ushort)(port + 1)));

        var second = _harness.NewClient();
        var token = response.ReservationToken!.Value;
        var reserved = second.Allocate((ref StunMessageWriter w) => w.WriteReservationToken(token));
        Assert.True(reserved.IsSuccess);
        Assert.Equal(port + 1, reserved.XorRelayedAddress!.Value.Port);

        // A token is used once.
        var third = _harness.NewClient();
        Assert.Equal(508, third.Allocate((ref StunMessageWriter w) => w.WriteReservationToken(token)).ErrorCode);
    }

    [Fact]
    public void Allocate_ReservationExpires_PortIsReleased()
    {
        var client = _harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) => w.WriteEvenPort(true));
        var next = (ushort)(response.XorRelayedAddress!.Value.Port + 1);
        Assert.True(_harness.Sockets.Bound.ContainsKey(next));
        _harness.Advance(RelayLifetimes.Reservation + TimeSpan.FromSeconds(1));
        Assert.False(_harness.Sockets.Bound.ContainsKey(next));
    }

    [Fact]
    public void Allocate_ReservationTokenWithEvenPort_Returns400()
    {
        var client = _harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) =>
        {
            w.WriteReservationToken(42);
            w.WriteEvenPort(false);
        });
        Assert.Equal(400, response.ErrorCode);
    }

    [Fact]
    public void Allocate_UnknownReservationToken_Returns508()
    {
        var client = _harness.NewClient();
        Assert.Equal(508, client.Allocate((ref StunMessageWriter w) => w.WriteReservationToken(12345)).ErrorCode);
    }

    [Fact]
    public void Allocate_DontFragment_IsAcceptedAndSetOnTheRelaySocket()
    {
        var client = _harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) => w.WriteDontFragment());
        Assert.True(response.IsSuccess);
        Assert.True(_harness.Sockets.Get(response.XorRelayedAddress!.Value).DontFragment);
    }

    [Fact]
    public void Allocate_UnknownComprehensionRequiredAttribute_Returns420WithUnknownAttributes()
    {
        var client = _harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) => w.WriteAttribute(0x7777, [1, 2, 3, 4]));
        Assert.Equal(420, response.ErrorCode);
        Assert.Equal([(ushort)0x7777], response.UnknownAttributes);
        Assert.True(response.VerifyIntegrity(client.Key));
    }

    [Fact]
    public void Allocate_UnknownComprehensionOptionalAttribute_IsIgnored()
    {
        var client = _harness.NewClient();
        Assert.True(client.Allocate((ref StunMessageWriter w) => w.WriteAttribute(0xC001, [1, 2, 3, 4])).IsSuccess);
    }

    [Fact]
    public void Allocate_UserQuota_Returns486()
    {
        using var harness = new EngineHarness(o => o.UserQuota = 2);
        Assert.True(harness.NewClient().Allocate().IsSuccess);
        Assert.True(harness.NewClient().Allocate().IsSuccess);
        Assert.Equal(486, harness.NewClient().Allocate().ErrorCode);
        Assert.True(harness.NewClient("bob", "hunter2").Allocate().IsSuccess);
        Assert.Equal(1, harness.Sink.Count(RelayEventKind.QuotaRejected));
    }

    [Fact]
    public void Allocate_UserQuotaFromRealmPolicy_OverridesConfiguration()
    {
        var policies = new TestRealmPolicyStore();
        policies.Policies[EngineHarness.Realm] = RealmPolicy.Empty with { UserQuota = 1 };
        using var harness = new EngineHarness(o => o.UserQuota = 5, policies);
        Assert.True(harness.NewClient().Allocate().IsSuccess);
        Assert.Equal(486, harness.NewClient().Allocate().ErrorCode);
    }

    [Fact]
    public void Allocate_TotalQuota_Returns508()
    {
        using var harness = new EngineHarness(o => o.TotalQuota = 1);
        Assert.True(harness.NewClient().Allocate().IsSuccess);
        Assert.Equal(508, harness.NewClient("bob", "hunter2").Allocate().ErrorCode);
    }

    [Fact]
    public void Allocate_QuotaFreedByDeletion_AllowsANewAllocation()
    {
        using var harness = new EngineHarness(o => o.UserQuota = 1);
        var first = harness.NewClient();
        Assert.True(first.Allocate().IsSuccess);
        Assert.Equal(486, harness.NewClient().Allocate().ErrorCode);
        Assert.True(first.Refresh(0).IsSuccess);
        Assert.True(harness.NewClient().Allocate().IsSuccess);
    }

    [Fact]
    public void Allocate_PortRangeExhausted_Returns508()
    {
        using var harness = new EngineHarness(o => (o.MinPort, o.MaxPort) = (50000, 50001));
        harness.Sockets.Refused.Add(50000);
        Assert.True(harness.NewClient().Allocate().IsSuccess);
        Assert.Equal(508, harness.NewClient().Allocate().ErrorCode);
    }

    [Fact]
    public void Allocate_PortsAreNeverReusedWhileInUse()
    {
        using var harness = new EngineHarness(o => (o.MinPort, o.MaxPort) = (50000, 50009));
        var ports = new HashSet<int>();
        for (var i = 0; i < 10; i++) Assert.True(ports.Add(harness.NewClient().Allocate().XorRelayedAddress!.Value.Port));
        Assert.Equal(10, ports.Count);
    }

    [Fact]
    public void Allocate_WhileDraining_Returns508_ExistingAllocationsRunOn_ThenResumeAcceptsAgain()
    {
        var existing = _harness.NewClient();
        Assert.True(existing.Allocate().IsSuccess);
        Assert.True(_harness.Engine.Control.Drain());
        Assert.False(_harness.Engine.Control.Drain());
        Assert.True(_harness.Engine.Control.IsDraining);
        Assert.Equal(508, _harness.NewClient().Allocate().ErrorCode);
        Assert.True(existing.Refresh().IsSuccess);

        Assert.True(_harness.Engine.Control.Resume());
        Assert.False(_harness.Engine.Control.Resume());
        Assert.False(_harness.Engine.Control.IsDraining);
        Assert.True(_harness.NewClient().Allocate().IsSuccess);
    }

    [Fact]
    public void Allocate_ExternalAddress_IsAdvertised()
    {
        using var harness = new EngineHarness(o => o.ExternalAddress = "203.0.113.200");
        var response = harness.NewClient().Allocate();
        Assert.Equal(IPAddress.Parse("203.0.113.200"), response.XorRelayedAddress!.Value.ToIPAddress());
    }

    [Fact]
    public void Allocate_WithMessageIntegritySha256_IsAnsweredWithSha256()
    {
        var client = _harness.NewClient();
        client.UseSha256 = true;
        var response = client.Allocate();
        Assert.True(response.IsSuccess);
        Assert.True(response.HasMessageIntegritySha256);
        Assert.False(response.HasMessageIntegrity);
        Assert.True(response.VerifyIntegrity(client.Key));
    }

    [Fact]
    public void Allocate_WithFingerprint_IsAnsweredWithFingerprint()
    {
        var client = _harness.NewClient();
        client.Challenge();
        var response = client.Request(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), fingerprint: true);
        Assert.True(response.IsSuccess);
        Assert.True(response.HasFingerprint);
    }

    [Fact]
    public void Allocate_MismatchedPasswordAlgorithms_Returns400()
    {
        var client = _harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) =>
        {
            w.WritePasswordAlgorithms([PasswordAlgorithm.Sha256]);
            w.WritePasswordAlgorithm(PasswordAlgorithm.Sha256);
        });
        Assert.Equal(400, response.ErrorCode);
    }

    [Fact]
    public void Allocate_MatchingPasswordAlgorithms_Succeeds()
    {
        var client = _harness.NewClient();
        var response = client.Allocate((ref StunMessageWriter w) =>
        {
            w.WritePasswordAlgorithms([PasswordAlgorithm.Md5]);
            w.WritePasswordAlgorithm(PasswordAlgorithm.Md5);
        });
        Assert.True(response.IsSuccess);
    }

    [Fact]
    public void Allocate_TurnRestCredential_IsAcceptedWithAnyRealmSecret()
    {
        var username = TurnRestCredential.CreateUsername(_harness.Time.GetUtcNow().AddHours(1), "carol");
        var client = _harness.NewClient(username, TurnRestCredential.ComputePassword("rest-secret-2", username));
        Assert.True(client.Allocate().IsSuccess);
    }

    [Fact]
    public void Allocate_ExpiredTurnRestCredential_Returns401()
    {
        var username = TurnRestCredential.CreateUsername(_harness.Time.GetUtcNow().AddSeconds(-1), "carol");
        var client = _harness.NewClient(username, TurnRestCredential.ComputePassword("rest-secret-1", username));
        Assert.Equal(401, client.Allocate().ErrorCode);
        Assert.Contains(_harness.Sink.Events, e => e.Kind == RelayEventKind.AuthenticationFailed && e.Reason == "expired");
    }

    [Fact]
    public void Allocate_TurnRestCredentialWithWrongSecret_Returns401()
    {
        var username = TurnRestCredential.CreateUsername(_harness.Time.GetUtcNow().AddHours(1), "carol");
        var client = _harness.NewClient(username, TurnRestCredential.ComputePassword("not-a-secret", username));
        Assert.Equal(401, client.Allocate().ErrorCode);
    }

    [Fact]
    public void Binding_WithoutAuthentication_ReturnsXorMappedAddress()
    {
        var client = _harness.NewClient();
        var response = client.Request(StunMethod.Binding, authenticate: false);
        Assert.True(response.IsSuccess);
        Assert.Equal(client.Address, response.XorMappedAddress);
    }

    [Fact]
    public void UnknownMethod_Returns400()
    {
        var client = _harness.NewClient();
        Assert.Equal(400, client.Request((StunMethod)0x0FF, authenticate: false).ErrorCode);
    }

    [Fact]
    public void Challenge_NonceCookie_AnnouncesPasswordAlgorithmsAndUsernameAnonymity()
    {
        var nonce = _harness.NewClient().Challenge().Nonce!;
        Assert.True(NonceCookie.TryParse(System.Text.Encoding.ASCII.GetBytes(nonce), out var features));
        Assert.Equal(StunSecurityFeatures.PasswordAlgorithms | StunSecurityFeatures.UsernameAnonymity, features);
    }

    [Fact]
    public void Allocate_WithUserHash_IsAuthenticatedAsThatUser()
    {
        var client = _harness.NewClient();
        client.UseUserHash = true;
        Assert.True(client.Allocate().IsSuccess);
        Assert.Equal(EngineHarness.User, Assert.Single(_harness.Engine.State.GetSnapshot().Allocations).Username);
        Assert.True(client.Refresh().IsSuccess);
    }

    [Fact]
    public void Allocate_WithUnknownUserHash_Returns401()
    {
        var client = _harness.NewClient(user: "nobody");
        client.UseUserHash = true;
        Assert.Equal(401, client.Allocate().ErrorCode);
    }

    [Fact]
    public void Allocate_WithUserHashButNoResolver_Returns400AndNoAnonymityIsAnnounced()
    {
        using var harness = new EngineHarness(userHashes: false);
        var client = harness.NewClient();
        Assert.True(NonceCookie.TryParse(System.Text.Encoding.ASCII.GetBytes(client.Challenge().Nonce!), out var features));
        Assert.Equal(StunSecurityFeatures.PasswordAlgorithms, features);
        client.UseUserHash = true;
        Assert.Equal(400, client.Allocate().ErrorCode);
    }
}
