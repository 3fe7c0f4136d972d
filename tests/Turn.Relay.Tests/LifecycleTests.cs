using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

public sealed class LifecycleTests : IDisposable
{
    private readonly EngineHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Refresh_WithoutAllocation_Returns437()
    {
        Assert.Equal(437, _harness.NewClient().Refresh().ErrorCode);
    }

    [Fact]
    public void Refresh_ExtendsLifetime_ClampedToTheMaximum()
    {
        var client = _harness.Allocated(out _);
        var response = client.Refresh(100_000);
        Assert.True(response.IsSuccess);
        Assert.Equal(3600u, response.Lifetime);
        Assert.True(response.VerifyIntegrity(client.Key));
        Assert.Equal(1, _harness.Sink.Count(RelayEventKind.AllocationRefreshed));
    }

    [Fact]
    public void Refresh_LifetimeZero_DeletesTheAllocationAndFreesThePort()
    {
        var client = _harness.Allocated(out var allocation);
        var response = client.Refresh(0);
        Assert.True(response.IsSuccess);
        Assert.Equal(0u, response.Lifetime);
        Assert.Equal(0, _harness.Engine.AllocationCount);
        Assert.True(_harness.Sockets.Bound.IsEmpty);
        Assert.Equal(437, client.Refresh().ErrorCode);
        Assert.Equal(1, _harness.Sink.Count(RelayEventKind.AllocationDeleted));
    }

    [Fact]
    public void Refresh_ByAnotherUserOnTheSameFiveTuple_Returns441()
    {
        var client = _harness.Allocated(out _);
        client.Username = "bob";
        client.Password = "hunter2";
        Assert.Equal(441, client.Refresh().ErrorCode);
        Assert.Contains(_harness.Sink.Events, e => e.Kind == RelayEventKind.AuthenticationFailed && e.Reason == "wrong_user");
    }

    [Fact]
    public void Refresh_MismatchedAddressFamily_Returns443()
    {
        var client = _harness.Allocated(out _);
        var response = client.Request(StunMethod.Refresh, (ref StunMessageWriter w) => w.WriteRequestedAddressFamily(StunAddressFamily.IPv6));
        Assert.Equal(443, response.ErrorCode);
    }

    [Fact]
    public void Allocation_NotRefreshed_ExpiresInTheSweep()
    {
        var client = _harness.Allocated(out var allocation);
        _harness.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal(1, _harness.Engine.AllocationCount);
        _harness.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, _harness.Engine.AllocationCount);
        Assert.Contains(_harness.Sink.Events, e => e.Kind == RelayEventKind.AllocationDeleted && e.Reason == "expired");
        Assert.Equal(437, client.Refresh().ErrorCode);
    }

    [Fact]
    public void Allocation_Expired_RelaysNothingEvenBeforeTheSweep()
    {
        var client = _harness.Allocated(out var allocation);
        client.CreatePermission(EngineHarness.Peer1);
        var socket = _harness.Sockets.Get(allocation.XorRelayedAddress!.Value);
        _harness.Time.SetUtcNow(_harness.Time.GetUtcNow() + TimeSpan.FromSeconds(601));
        // SetUtcNow fires due timers, so the sweep has run: the allocation and its socket are gone.
        Assert.True(socket.Disposed);
        client.SendIndication(EngineHarness.Peer1, [1]);
        Assert.Empty(socket.SentToPeers);
    }

    [Fact]
    public void TerminateAllocation_ClientGets437OnNextRefresh()
    {
        var client = _harness.Allocated(out _);
        var snapshot = Assert.Single(_harness.Engine.State.GetSnapshot().Allocations);
        Assert.True(_harness.Engine.Control.TerminateAllocation(snapshot.Id));
        Assert.False(_harness.Engine.Control.TerminateAllocation(snapshot.Id));
        Assert.Equal(437, client.Refresh().ErrorCode);
        Assert.Contains(_harness.Sink.Events, e => e.Kind == RelayEventKind.AllocationDeleted && e.Reason == "terminated");
    }

    [Fact]
    public void TerminateUser_DeletesOnlyThatUsersAllocations()
    {
        _harness.Allocated(out _);
        _harness.Allocated(out _);
        var bob = _harness.NewClient("bob", "hunter2");
        Assert.True(bob.Allocate().IsSuccess);
        Assert.Equal(2, _harness.Engine.Control.TerminateUser(EngineHarness.Realm, EngineHarness.User));
        var remaining = Assert.Single(_harness.Engine.State.GetSnapshot().Allocations);
        Assert.Equal("bob", remaining.Username);
    }

    [Fact]
    public void TerminateBySecret_DeletesOnlyAllocationsSignedWithThatSecret()
    {
        var alice = _harness.Allocated(out _);
        var signedBy1 = RestClient("carol", "rest-secret-1");
        var signedBy2 = RestClient("dave", "rest-secret-2");

        Assert.Equal(0, _harness.Engine.Control.TerminateBySecret("other.realm", Sha256Hex("rest-secret-1")));
        Assert.Equal(1, _harness.Engine.Control.TerminateBySecret(EngineHarness.Realm, Sha256Hex("rest-secret-1")));

        Assert.Equal(437, signedBy1.Refresh().ErrorCode);
        Assert.True(signedBy2.Refresh().IsSuccess);
        Assert.True(alice.Refresh().IsSuccess);
    }

    [Fact]
    public void TerminateByCredentialKind_SeparatesStoredKeysFromRestCredentials()
    {
        var alice = _harness.Allocated(out _);
        var rest = RestClient("carol", "rest-secret-2");

        Assert.Equal(1, _harness.Engine.Control.TerminateByCredentialKind(RelayCredentialKind.RestApi));
        Assert.Equal(437, rest.Refresh().ErrorCode);
        Assert.True(alice.Refresh().IsSuccess);

        Assert.Equal(1, _harness.Engine.Control.TerminateByCredentialKind(RelayCredentialKind.LongTerm));
        Assert.Equal(437, alice.Refresh().ErrorCode);
    }

    private TestClient RestClient(string user, string secret)
    {
        var username = TurnRestCredential.CreateUsername(_harness.Time.GetUtcNow().AddHours(1), user);
        var client = _harness.NewClient(username, TurnRestCredential.ComputePassword(secret, username));
        Assert.True(client.Allocate().IsSuccess);
        return client;
    }

    private static string Sha256Hex(string secret) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    [Fact]
    public void Snapshot_ShowsPermissionsChannelsAndCounters()
    {
        var client = _harness.Allocated(out var allocation);
        client.CreatePermission(EngineHarness.Peer1);
        client.ChannelBind(0x4005, EngineHarness.Peer2);
        client.SendIndication(EngineHarness.Peer1, new byte[10]);
        client.SendChannelData(0x4005, new byte[20]);
        _harness.Sockets.Get(allocation.XorRelayedAddress!.Value).Deliver(EngineHarness.Peer2, new byte[30]);

        var snapshot = Assert.Single(_harness.Engine.State.GetSnapshot().Allocations);
        Assert.Equal(EngineHarness.User, snapshot.Username);
        Assert.Equal(EngineHarness.Realm, snapshot.Realm);
        Assert.Equal(client.Address.ToIPEndPoint(), snapshot.ClientAddress);
        Assert.Equal(allocation.XorRelayedAddress!.Value.ToIPEndPoint(), snapshot.RelayedAddress);
        Assert.Equal(RelayTransport.Udp, snapshot.Transport);
        Assert.Equal(_harness.Time.GetUtcNow().AddSeconds(600), snapshot.Expires);
        Assert.Equal(2, snapshot.Permissions.Count);
        var channel = Assert.Single(snapshot.Channels);
        Assert.Equal(0x4005, channel.Number);
        Assert.Equal(EngineHarness.Peer2.ToIPEndPoint(), channel.Peer);
        Assert.Equal(30, snapshot.BytesFromClient);
        Assert.Equal(2, snapshot.PacketsFromClient);
        Assert.Equal(30, snapshot.BytesToClient);
        Assert.Equal(1, snapshot.PacketsToClient);
    }

    [Fact]
    public void Subscribe_IsNotifiedOfChangesThrottledAndStopsAfterDispose()
    {
        var calls = 0;
        var subscription = _harness.Engine.State.Subscribe(() => Interlocked.Increment(ref calls));
        _harness.Allocated(out _);
        _harness.Allocated(out _);
        Assert.Equal(0, calls); // nothing until the next tick
        _harness.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, calls); // two changes, one notification
        _harness.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, calls); // no change, no notification
        subscription.Dispose();
        _harness.Allocated(out _);
        _harness.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Events_CarryTrafficTotalsOnDeletion()
    {
        var client = _harness.Allocated(out _);
        client.CreatePermission(EngineHarness.Peer1);
        client.SendIndication(EngineHarness.Peer1, new byte[100]);
        client.Refresh(0);
        var deleted = Assert.Single(_harness.Sink.Events, e => e.Kind == RelayEventKind.AllocationDeleted);
        Assert.Equal(100, deleted.BytesFromClient);
        Assert.Equal(EngineHarness.User, deleted.Username);
        Assert.NotEmpty(deleted.AllocationId);
    }
}
