using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

/// <summary><see cref="IRelayStatus"/> as AddTurnRelay registers it, over a real host (relay ports 46590-46599).</summary>
public sealed class RelayStatusTests
{
    [Fact]
    public async Task Status_ReportsListenersAndTotals_EndedAllocationsIncluded_NotListeningOnceStopped()
    {
        await using var host = await RelayHost.StartAsync(46590, 46599);
        var status = host.Host.Services.GetRequiredService<IRelayStatus>();

        Assert.True(status.IsListening);
        Assert.Equal(host.Service.UdpEndPoints, status.UdpEndPoints);
        Assert.Equal(host.Service.TcpEndPoints, status.TcpEndPoints);
        Assert.Empty(status.TlsEndPoints);
        Assert.Equal(RelayTrafficTotals.Zero, status.GetTrafficTotals());

        await using var client = WireClient.Udp(status.UdpEndPoints[0]);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peerAddress = TransportAddress.FromIPEndPoint((IPEndPoint)peer.LocalEndPoint!);
        var allocation = await client.AllocateAsync();
        Assert.True(allocation.IsSuccess, $"Allocate: {allocation.ErrorCode}");
        Assert.True((await client.CreatePermissionAsync(peerAddress)).IsSuccess);
        await client.SendIndicationAsync(peerAddress, [1, 2, 3]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var received = await peer.ReceiveFromAsync(new byte[64], SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        await peer.SendToAsync(new byte[] { 9, 9 }, SocketFlags.None, received.RemoteEndPoint);
        Assert.Equal(StunMethod.Data, StunResponse.Parse(await client.ReceiveAsync()).Method);

        // The relay counts a datagram right after handing it to the socket: give it a moment.
        var expected = new RelayTrafficCounts(BytesToPeer: 3, BytesToClient: 2, PacketsToPeer: 1, PacketsToClient: 1);
        for (var i = 0; i < 50 && status.GetTrafficTotals().Udp != expected; i++) await Task.Delay(20);
        Assert.Equal(new RelayTrafficTotals(expected, default, default) { Allocations = new RelayAllocationCounts(1, 0, 0) }, status.GetTrafficTotals());
        Assert.Equal(expected, status.GetTrafficTotals().All);

        Assert.True((await client.RequestAsync(StunMethod.Refresh, (ref StunMessageWriter w) => w.WriteLifetime(0))).IsSuccess);
        Assert.Equal(expected, status.GetTrafficTotals().For(RelayTransport.Udp));
        Assert.Equal(0, status.GetTrafficTotals().Allocations.All);

        await host.Service.StopAsync(CancellationToken.None);
        Assert.False(status.IsListening);
        Assert.Empty(status.UdpEndPoints);
    }
}
