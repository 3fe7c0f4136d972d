using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Turn.Protocol;
using Turn.Relay.Policy;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Policy;

/// <summary>
/// A client cannot bounce through a relay socket back into the relay (issue 13): its listener ports and the relay
/// ports nobody holds, on its own addresses, are refused at ChannelBind and dropped for Send; another allocation's
/// relayed address on the same relay stays reachable (two clients of one relay).
/// </summary>
public sealed class SelfPeerTests
{
    private static readonly IPEndPoint Listener = new(IPAddress.Parse("192.0.2.1"), 3478);

    private static TransportAddress At(string address, int port) => TransportAddress.FromIPAddress(IPAddress.Parse(address), (ushort)port);

    [Fact]
    public void Guard_WildcardListener_CoversTheHostsAddressesAndConfiguredOnes()
    {
        var time = new FakeTimeProvider();
        var listeners = new List<IPEndPoint> { new(IPAddress.Any, 3478), new(IPAddress.IPv6Any, 5349) };
        var self = new RelaySelfAddresses(Options.Create(new RelayOptions { ExternalAddress = "203.0.113.50" }), time, () => listeners,
            () => [IPAddress.Parse("198.18.0.1"), IPAddress.Loopback, IPAddress.Parse("fd00::2")]);
        var inUse = new HashSet<int> { 50010 };
        var guard = new SelfPeerGuard(self, 50000, 50099, inUse.Contains);

        Assert.True(guard.Refuses(At("198.18.0.1", 3478)));
        Assert.True(guard.Refuses(At("::ffff:198.18.0.1", 5349)));
        Assert.True(guard.Refuses(At("64:ff9b::c612:1", 3478)));
        Assert.True(guard.Refuses(At("127.0.0.1", 3478)));
        Assert.True(guard.Refuses(At("fd00::2", 3478)));
        Assert.True(guard.Refuses(At("203.0.113.50", 3478)));
        Assert.True(guard.Refuses(At("198.18.0.1", 50011)));   // a relay port nobody holds
        Assert.False(guard.Refuses(At("198.18.0.1", 50010)));  // another allocation's relayed address
        Assert.False(guard.Refuses(At("198.18.0.1", 9999)));   // left to the peer policy
        Assert.False(guard.Refuses(At("198.18.0.2", 3478)));   // not an own address
    }

    [Fact]
    public void WildcardListener_ReadsThisHostsRealInterfaces_IPv4AndIPv6()
    {
        // The host's own interface list (IPv4 addresses have no scope id to ask for: asking throws).
        var self = new RelaySelfAddresses(Options.Create(new RelayOptions()), new FakeTimeProvider(),
            () => [new IPEndPoint(IPAddress.Any, 3478), new IPEndPoint(IPAddress.IPv6Any, 3478)]);
        Assert.True(self.IsOwnAddress(IpAddressBits.From(IPAddress.Loopback)));
        Assert.True(self.IsOwnAddress(IpAddressBits.From(IPAddress.IPv6Loopback)));
        Assert.False(self.IsOwnAddress(IpAddressBits.From(IPAddress.Parse("192.0.2.123"))));
    }

    [Fact]
    public void Addresses_AreReadAgainOnlyAfterTheRefreshInterval()
    {
        var time = new FakeTimeProvider();
        var listeners = new List<IPEndPoint> { Listener };
        var self = new RelaySelfAddresses(Options.Create(new RelayOptions()), time, () => listeners, () => []);
        Assert.True(self.IsOwnAddress(IpAddressBits.From(IPAddress.Parse("192.0.2.1"))));

        listeners[0] = new IPEndPoint(IPAddress.Parse("192.0.2.9"), 3478);
        Assert.False(self.IsOwnAddress(IpAddressBits.From(IPAddress.Parse("192.0.2.9"))));
        time.Advance(RelaySelfAddresses.RefreshInterval);
        Assert.True(self.IsOwnAddress(IpAddressBits.From(IPAddress.Parse("192.0.2.9"))));
    }

    [Fact]
    public void ChannelBind_ToTheRelaysListenerOrAFreeRelayPort_Returns403()
    {
        using var harness = new EngineHarness(listeners: [Listener]);
        var client = harness.Allocated(out _);

        Assert.Equal(403, client.ChannelBind(0x4000, At("192.0.2.1", 3478)).ErrorCode);
        Assert.Equal(403, client.ChannelBind(0x4001, At("::ffff:192.0.2.1", 3478)).ErrorCode);
        var free = Enumerable.Range(50000, 100).First(p => !harness.Sockets.Bound.ContainsKey((ushort)p));
        Assert.Equal(403, client.ChannelBind(0x4002, At("192.0.2.1", free)).ErrorCode);
        Assert.True(client.ChannelBind(0x4003, At("192.0.2.1", 9999)).IsSuccess);
    }

    [Fact]
    public void ChannelBind_ToAnotherAllocationOnTheSameRelay_Succeeds()
    {
        using var harness = new EngineHarness(listeners: [Listener]);
        var first = harness.Allocated(out _);
        harness.Allocated(out var second);
        var relayed = second.XorRelayedAddress!.Value;

        Assert.Equal(IPAddress.Parse("192.0.2.1"), relayed.ToIPAddress());
        Assert.True(first.ChannelBind(0x4000, relayed).IsSuccess);
    }

    [Fact]
    public void Send_OnAPermissionForTheRelaysOwnAddress_NeverReachesAListenerPort()
    {
        using var harness = new EngineHarness(listeners: [Listener]);
        var client = harness.Allocated(out var allocation);
        Assert.True(client.CreatePermission(At("192.0.2.1", 0)).IsSuccess);
        var socket = harness.Sockets.Get(allocation.XorRelayedAddress!.Value);

        client.SendIndication(At("192.0.2.1", 3478), [1, 2, 3]);
        client.SendIndication(At("192.0.2.1", 9999), [4, 5, 6]);

        Assert.Equal([At("192.0.2.1", 9999)], socket.SentToPeers.Select(s => s.Peer));
    }

    [Fact]
    public void Send_ToOrdinaryPeers_IsUnchanged()
    {
        using var harness = new EngineHarness(listeners: [Listener]);
        var client = harness.Allocated(out var allocation);
        Assert.True(client.CreatePermission(EngineHarness.Peer1).IsSuccess);
        var socket = harness.Sockets.Get(allocation.XorRelayedAddress!.Value);

        client.SendIndication(EngineHarness.Peer1.WithPort(3478), [1]);

        Assert.Single(socket.SentToPeers);
    }
}
