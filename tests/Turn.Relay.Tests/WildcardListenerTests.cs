using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

/// <summary>
/// A relay listening on 0.0.0.0, reached on two local addresses (on Linux all of 127.0.0.0/8 is
/// local): each client's relay is bound and advertised on the address it reached, for UDP as for
/// TCP, and the same client port reaching both addresses is two 5-tuples. The multi-homed version
/// with real interfaces is <see cref="Interop.MultiHomedNamespaceTests"/>.
/// </summary>
public sealed class WildcardListenerTests
{
    private static readonly IPAddress Second = IPAddress.Parse("127.0.0.2");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Udp_SameClientPortReachingTwoAddresses_GetsARelayOnEach(bool fastPath)
    {
        await using var host = await StartWildcardAsync(fastPath);
        var port = host.Service.UdpEndPoints.Single().Port;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var first = WireClient.Udp(new IPEndPoint(IPAddress.Loopback, port), socket);
        await using var second = WireClient.Udp(new IPEndPoint(Second, port), socket);

        var firstAllocation = await first.AllocateAsync();
        Assert.True(firstAllocation.IsSuccess, $"Allocate via 127.0.0.1: {firstAllocation.ErrorCode}");
        Assert.Equal(IPAddress.Loopback, firstAllocation.XorRelayedAddress!.Value.ToIPAddress());

        // Same client address and port, other server address: a new 5-tuple, not a 437 mismatch.
        var secondAllocation = await second.AllocateAsync();
        Assert.True(secondAllocation.IsSuccess, $"Allocate via 127.0.0.2: {secondAllocation.ErrorCode}");
        Assert.Equal(Second, secondAllocation.XorRelayedAddress!.Value.ToIPAddress());
        if (fastPath)
        {
            // The Linux path names the reply's source (IP_PKTINFO); the portable one leaves it to the kernel.
            Assert.Equal(new IPEndPoint(Second, port), second.LastSource);
        }

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), first.LastSource);
        Assert.Equal(2, host.Host.Services.GetRequiredService<Seams.IRelayState>().GetSnapshot().Allocations.Count);
    }

    [Fact]
    public async Task Udp_WildcardRelay_RelaysToAPeerFromTheReachedAddress()
    {
        await using var host = await StartWildcardAsync(fastPath: true);
        var port = host.Service.UdpEndPoints.Single().Port;
        await using var client = WireClient.Udp(new IPEndPoint(Second, port));
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peerAddress = Turn.Protocol.TransportAddress.FromIPEndPoint((IPEndPoint)peer.LocalEndPoint!);

        var allocation = await client.AllocateAsync();
        Assert.True(allocation.IsSuccess, $"Allocate: {allocation.ErrorCode}");
        var relayed = allocation.XorRelayedAddress!.Value.ToIPEndPoint();
        Assert.Equal(Second, relayed.Address);
        Assert.True((await client.CreatePermissionAsync(peerAddress)).IsSuccess);
        await client.SendIndicationAsync(peerAddress, [1, 2, 3]);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[64];
        var received = await peer.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        Assert.Equal(relayed, received.RemoteEndPoint);

        await peer.SendToAsync(new byte[] { 9 }, SocketFlags.None, relayed);
        var indication = StunResponse.Parse(await client.ReceiveAsync());
        Assert.Equal(new byte[] { 9 }, indication.Data);
        Assert.Equal(new IPEndPoint(Second, port), client.LastSource);
    }

    [Fact]
    public async Task Tcp_WildcardListener_RelaysOnTheAddressReached()
    {
        await using var host = await StartWildcardAsync(fastPath: true);
        var port = host.Service.TcpEndPoints.Single().Port;
        await using var client = await WireClient.TcpAsync(new IPEndPoint(Second, port));
        var allocation = await client.AllocateAsync();
        Assert.True(allocation.IsSuccess, $"Allocate: {allocation.ErrorCode}");
        Assert.Equal(Second, allocation.XorRelayedAddress!.Value.ToIPAddress());
    }

    private static Task<RelayHost> StartWildcardAsync(bool fastPath) => RelayHost.StartAsync(new Dictionary<string, string?>
    {
        ["Relay:ListenAddresses:0"] = "0.0.0.0",
        ["Relay:LinuxFastPath"] = fastPath ? "true" : "false",
    }, relayPorts: 10);
}
