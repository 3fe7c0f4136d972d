using System.Net;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

public sealed class PermissionAndChannelTests : IDisposable
{
    private readonly EngineHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static readonly TransportAddress Peer1 = EngineHarness.Peer1;
    private static readonly TransportAddress Peer2 = EngineHarness.Peer2;

    [Fact]
    public void CreatePermission_WithoutAllocation_Returns437()
    {
        var client = _harness.NewClient();
        Assert.Equal(437, client.CreatePermission(Peer1).ErrorCode);
    }

    [Fact]
    public void CreatePermission_WithoutPeer_Returns400()
    {
        var client = _harness.Allocated(out _);
        Assert.Equal(400, client.CreatePermission().ErrorCode);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("169.254.169.254")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    public void CreatePermission_ForbiddenPeer_Returns403(string address)
    {
        var client = _harness.Allocated(out _);
        var response = client.CreatePermission(TransportAddress.FromIPAddress(IPAddress.Parse(address), 9));
        Assert.Equal(403, response.ErrorCode);
        Assert.True(response.VerifyIntegrity(client.Key));
        Assert.Equal(1, _harness.Sink.Count(RelayEventKind.PeerRejected));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    public void ChannelBind_ForbiddenPeer_Returns403(string address)
    {
        var client = _harness.Allocated(out _);
        Assert.Equal(403, client.ChannelBind(0x4000, TransportAddress.FromIPAddress(IPAddress.Parse(address), 9)).ErrorCode);
    }

    [Fact]
    public void CreatePermission_LoopbackAllowedByOption_Succeeds()
    {
        using var harness = new EngineHarness(o => o.AllowLoopbackPeers = true);
        var client = harness.Allocated(out _);
        Assert.True(client.CreatePermission(TransportAddress.FromIPAddress(IPAddress.Loopback, 9)).IsSuccess);
    }

    [Fact]
    public void CreatePermission_OneForbiddenPeerAmongSeveral_InstallsNone()
    {
        var client = _harness.Allocated(out var allocation);
        var forbidden = TransportAddress.FromIPAddress(IPAddress.Loopback, 1);
        Assert.Equal(403, client.CreatePermission(Peer1, forbidden).ErrorCode);
        var socket = _harness.Sockets.Get(allocation.XorRelayedAddress!.Value);
        client.SendIndication(Peer1, [1, 2, 3]);
        Assert.Empty(socket.SentToPeers);
    }

    [Fact]
    public void CreatePermission_PeerOfOtherFamily_Returns443()
    {
        var client = _harness.Allocated(out _);
        Assert.Equal(443, client.CreatePermission(EngineHarness.PeerV6).ErrorCode);
    }

    [Fact]
    public void CreatePermission_SeveralPeers_AllowsSendIndicationsToEach()
    {
        var client = _harness.Allocated(out var allocation);
        Assert.True(client.CreatePermission(Peer1, Peer2).IsSuccess);
        var socket = _harness.Sockets.Get(allocation.XorRelayedAddress!.Value);
        client.SendIndication(Peer1, [1, 2, 3]);
        client.SendIndication(Peer2, [4, 5]);
        // Permissions are per IP address: another port of the same peer passes too (RFC 8656 section 9).
        client.SendIndication(Peer1.WithPort(1234), [6]);
        Assert.Equal([Peer1, Peer2, Peer1.WithPort(1234)], socket.SentToPeers.Select(s => s.Peer));
        Assert.Equal([3, 2, 1], socket.SentToPeers.Select(s => s.Data.Length));
    }

    [Fact]
    public void SendIndication_WithoutPermission_IsSilentlyDropped()
    {
        var client = _harness.Allocated(out var allocation);
        client.SendIndication(Peer1, [1, 2, 3]);
        Assert.Empty(_harness.Sockets.Get(allocation.XorRelayedAddress!.Value).SentToPeers);
        Assert.Empty(client.Drain());
    }

    [Fact]
    public void PeerData_WithPermission_ArrivesAsDataIndication()
    {
        var client = _harness.Allocated(out var allocation);
        client.CreatePermission(Peer1);
        _harness.Sockets.Get(allocation.XorRelayedAddress!.Value).Deliver(Peer1, [9, 8, 7, 6, 5]);
        var indication = StunResponse.Parse(Assert.Single(client.Drain()));
        Assert.Equal(StunMethod.Data, indication.Method);
        Assert.Equal(StunClass.Indication, indication.Class);
        Assert.Equal(Peer1, indication.XorPeerAddress);
        Assert.Equal([9, 8, 7, 6, 5], indication.Data);
    }

    [Fact]
    public void PeerData_IPv6Peer_ArrivesAsDataIndication()
    {
        using var harness = new EngineHarness(o => o.RelayAddress = "2001:db8::1");
        var client = harness.NewClient();
        var allocation = client.Allocate((ref StunMessageWriter w) => w.WriteRequestedAddressFamily(StunAddressFamily.IPv6));
        Assert.True(client.CreatePermission(EngineHarness.PeerV6).IsSuccess);
        harness.Sockets.Get(allocation.XorRelayedAddress!.Value).Deliver(EngineHarness.PeerV6, [1]);
        var indication = StunResponse.Parse(Assert.Single(client.Drain()));
        Assert.Equal(EngineHarness.PeerV6, indication.XorPeerAddress);
        Assert.Equal([1], indication.Data);
    }

    [Fact]
    public void PeerData_WithoutPermission_IsDropped()
    {
        var client = _harness.Allocated(out var allocation);
        client.CreatePermission(Peer1);
        _harness.Sockets.Get(allocation.XorRelayedAddress!.Value).Deliver(Peer2, [1]);
        Assert.Empty(client.Drain());
    }

    [Fact]
    public void Permission_Expires_DataIsNoLongerRelayedEvenBeforeTheSweep()
    {
        var client = _harness.Allocated(out var allocation);
        client.CreatePermission(Peer1);
        var socket = _harness.Sockets.Get(allocation.XorRelayedAddress!.Value);
        // Move the clock without letting timers run: the data path checks expiry itself.
        _harness.Time.AutoAdvanceAmount = TimeSpan.Zero;
        _harness.Time.SetUtcNow(_harness.Time.GetUtcNow() + RelayLifetimes.Permission + TimeSpan.FromSeconds(1));
        client.SendIndication(Peer1, [1]);
        socket.Deliver(Peer1, [2]);
        Assert.Empty(socket.SentToPeers);
        Assert.Empty(client.Drain());
    }

    [Fact]
    public void Permission_Refreshed_StaysAlive()
    {
        var client = _harness.Allocated(out var allocation);
        client.CreatePermission(Peer1);
        _harness.Advance(TimeSpan.FromSeconds(200));
        client.CreatePermission(Peer1);
        _harness.Advance(TimeSpan.FromSeconds(200));
        client.SendIndication(Peer1, [1]);
        Assert.Single(_harness.Sockets.Get(allocation.XorRelayedAddress!.Value).SentToPeers);
    }

    [Fact]
    public void ChannelBind_Valid_RelaysChannelDataBothWays()
    {
        var client = _harness.Allocated(out var allocation);
        Assert.True(client.ChannelBind(0x4001, Peer1).IsSuccess);
        var socket = _harness.Sockets.Get(allocation.XorRelayedAddress!.Value);
        client.SendChannelData(0x4001, [1, 2, 3]);
        var sent = Assert.Single(socket.SentToPeers);
        Assert.Equal(Peer1, sent.Peer);
        Assert.Equal(new byte[] { 1, 2, 3 }, sent.Data);
        socket.Deliver(Peer1, [4, 5, 6, 7, 8]);
        var message = Assert.Single(client.Drain());
        Assert.Equal(new byte[] { 0x40, 0x01, 0, 5, 4, 5, 6, 7, 8 }, message);
    }

    [Fact]
    public void ChannelBind_AlsoInstallsAPermission()
    {
        var client = _harness.Allocated(out var allocation);
        client.ChannelBind(0x4001, Peer1);
        client.SendIndication(Peer1, [1]);
        Assert.Single(_harness.Sockets.Get(allocation.XorRelayedAddress!.Value).SentToPeers);
    }

    [Fact]
    public void ChannelData_UnboundChannel_IsDropped()
    {
        var client = _harness.Allocated(out var allocation);
        client.CreatePermission(Peer1);
        client.SendChannelData(0x4002, [1]);
        Assert.Empty(_harness.Sockets.Get(allocation.XorRelayedAddress!.Value).SentToPeers);
    }

    [Theory]
    [InlineData((ushort)0x3FFF)]
    [InlineData((ushort)0x8000)]
    [InlineData((ushort)0xFFFF)]
    public void ChannelBind_NumberOutOfRange_Returns400(ushort number)
    {
        var client = _harness.Allocated(out _);
        Assert.Equal(400, client.ChannelBind(number, Peer1).ErrorCode);
    }

    [Fact]
    public void ChannelBind_Rfc5766NumberWithStrictRange_Returns400()
    {
        using var harness = new EngineHarness(o => o.AllowRfc5766ChannelNumbers = false);
        var client = harness.Allocated(out _);
        Assert.Equal(400, client.ChannelBind(0x5000, Peer1).ErrorCode);
        Assert.True(client.ChannelBind(0x4FFF, Peer1).IsSuccess);
    }

    [Fact]
    public void ChannelBind_Rfc5766NumberByDefault_IsAcceptedForCoturnClients()
    {
        var client = _harness.Allocated(out _);
        Assert.True(client.ChannelBind(0x7587, Peer1).IsSuccess);
    }

    [Fact]
    public void ChannelBind_MissingPeer_Returns400()
    {
        var client = _harness.Allocated(out _);
        var response = client.Request(StunMethod.ChannelBind, (ref StunMessageWriter w) => w.WriteChannelNumber(0x4000));
        Assert.Equal(400, response.ErrorCode);
    }

    [Fact]
    public void ChannelBind_NumberBoundToAnotherPeer_Returns400()
    {
        var client = _harness.Allocated(out _);
        Assert.True(client.ChannelBind(0x4000, Peer1).IsSuccess);
        Assert.Equal(400, client.ChannelBind(0x4000, Peer2).ErrorCode);
    }

    [Fact]
    public void ChannelBind_PeerBoundToAnotherNumber_Returns400()
    {
        var client = _harness.Allocated(out _);
        Assert.True(client.ChannelBind(0x4000, Peer1).IsSuccess);
        Assert.Equal(400, client.ChannelBind(0x4001, Peer1).ErrorCode);
    }

    [Fact]
    public void ChannelBind_SameNumberAndPeer_RefreshesTheBinding()
    {
        var client = _harness.Allocated(out var allocation);
        client.ChannelBind(0x4000, Peer1);
        _harness.Advance(TimeSpan.FromSeconds(290));
        Assert.True(client.ChannelBind(0x4000, Peer1).IsSuccess);
        client.Refresh();
        _harness.Advance(TimeSpan.FromSeconds(400)); // 690 s after the first bind, 400 s after the refresh
        client.Refresh();
        client.CreatePermission(Peer1);
        client.SendChannelData(0x4000, [1]);
        Assert.Single(_harness.Sockets.Get(allocation.XorRelayedAddress!.Value).SentToPeers);
    }

    [Fact]
    public void ChannelBind_AfterExpiry_NumberStaysReservedForFiveMinutes()
    {
        var client = _harness.Allocated(out var allocation);
        client.Request(StunMethod.Refresh, (ref StunMessageWriter w) => w.WriteLifetime(3600));
        client.ChannelBind(0x4000, Peer1);
        _harness.Advance(RelayLifetimes.Channel + TimeSpan.FromSeconds(10));
        // Expired: data no longer flows on the channel...
        client.CreatePermission(Peer1);
        client.SendChannelData(0x4000, [1]);
        Assert.Empty(_harness.Sockets.Get(allocation.XorRelayedAddress!.Value).SentToPeers);
        // ...and for the quarantine the number cannot move to another peer.
        Assert.Equal(400, client.ChannelBind(0x4000, Peer2).ErrorCode);
        _harness.Advance(RelayLifetimes.ChannelQuarantine);
        Assert.True(client.ChannelBind(0x4000, Peer2).IsSuccess);
    }

    [Fact]
    public void ChannelBind_PeerOfOtherFamily_Returns443()
    {
        var client = _harness.Allocated(out _);
        Assert.Equal(443, client.ChannelBind(0x4000, EngineHarness.PeerV6).ErrorCode);
    }

    [Fact]
    public void ChannelData_OverStream_IsRelayedAndPeerDataComesBackAsChannelData()
    {
        var client = _harness.NewStreamClient(out var connection);
        var allocation = client.Allocate();
        Assert.True(allocation.IsSuccess);
        Assert.Equal(RelayTransport.Tcp, Assert.Single(_harness.Engine.State.GetSnapshot().Allocations).Transport);
        client.ChannelBind(0x4000, Peer1);
        var socket = _harness.Sockets.Get(allocation.XorRelayedAddress!.Value);
        client.SendChannelData(0x4000, [1, 2, 3]); // padded to 8 bytes on the stream
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(socket.SentToPeers).Data);
        socket.Deliver(Peer1, [7]);
        // The engine hands the unpadded message over; the stream connection pads it as it writes.
        Assert.Equal(new byte[] { 0x40, 0x00, 0, 1, 7 }, client.Drain().Single());
    }

    [Fact]
    public void StreamClosed_DeletesTheAllocation()
    {
        var client = _harness.NewStreamClient(out var connection);
        Assert.True(client.Allocate().IsSuccess);
        _harness.Engine.OnStreamClosed(connection);
        Assert.Equal(0, _harness.Engine.AllocationCount);
        Assert.Empty(_harness.Sockets.Bound);
    }

    [Fact]
    public void MaxBitsPerSecond_ExcessIsDroppedAndCounted()
    {
        using var harness = new EngineHarness(o => o.MaxBitsPerSecond = 8 * 2000); // 2000 bytes/s, burst one second
        var client = harness.Allocated(out var allocation);
        client.CreatePermission(Peer1);
        var socket = harness.Sockets.Get(allocation.XorRelayedAddress!.Value);
        harness.Time.AutoAdvanceAmount = TimeSpan.Zero;
        var payload = new byte[500];
        for (var i = 0; i < 10; i++) client.SendIndication(Peer1, payload);
        Assert.Equal(4, socket.SentToPeers.Count);
        for (var i = 0; i < 10; i++) socket.Deliver(Peer1, payload);
        Assert.Equal(4, client.Drain().Count);
        harness.Time.SetUtcNow(harness.Time.GetUtcNow().AddSeconds(1));
        client.SendIndication(Peer1, payload);
        Assert.Equal(5, socket.SentToPeers.Count);
        var snapshot = Assert.Single(harness.Engine.State.GetSnapshot().Allocations);
        Assert.Equal(5, snapshot.PacketsFromClient);
        Assert.Equal(4, snapshot.PacketsToClient);
    }

    [Fact]
    public void MaxBitsPerSecond_FromRealmPolicy_Applies()
    {
        var policies = new TestRealmPolicyStore();
        policies.Policies[EngineHarness.Realm] = RealmPolicy.Empty with { MaxBitsPerSecond = 8 * 1500 };
        using var harness = new EngineHarness(policies: policies);
        var client = harness.Allocated(out var allocation);
        client.CreatePermission(Peer1);
        harness.Time.AutoAdvanceAmount = TimeSpan.Zero;
        for (var i = 0; i < 5; i++) client.SendIndication(Peer1, new byte[500]);
        Assert.Equal(3, harness.Sockets.Get(allocation.XorRelayedAddress!.Value).SentToPeers.Count);
    }

    [Fact]
    public void HostileClientPackets_AreDroppedWithoutCrashOrReply()
    {
        var client = _harness.Allocated(out _);
        var random = new Random(1234);
        for (var i = 0; i < 20_000; i++)
        {
            var packet = new byte[random.Next(0, 200)];
            random.NextBytes(packet);
            if (packet.Length > 0 && i % 3 == 0) packet[0] &= 0x3F; // looks like STUN
            if (packet.Length > 7 && i % 6 == 0) (packet[4], packet[5], packet[6], packet[7]) = (0x21, 0x12, 0xA4, 0x42);
            if (packet.Length > 0 && i % 5 == 0) packet[0] = (byte)(0x40 | (packet[0] & 0x0F)); // looks like ChannelData
            client.SendRaw(packet);
        }
        // Whatever came back is well-formed STUN (e.g. 400s to requests that parsed).
        foreach (var reply in client.Drain()) StunResponse.Parse(reply);
        Assert.True(client.Refresh().IsSuccess);
    }
}
