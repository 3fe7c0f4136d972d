using System.Net;
using System.Net.Sockets;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Turn.Relay.Tests;

/// <summary>The hosted engine on real loopback sockets (relay ports 41000-41199), driven by the protocol library.</summary>
public sealed class SocketTests
{
    private static async Task<(Socket Peer, TransportAddress Address)> StartPeerAsync()
    {
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await Task.CompletedTask;
        return (peer, TransportAddress.FromIPEndPoint((IPEndPoint)peer.LocalEndPoint!));
    }

    private static async Task<(byte[] Data, IPEndPoint From)> PeerReceiveAsync(Socket peer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[2048];
        var result = await peer.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return (buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
    }

    [Fact]
    public async Task Udp_AllocatePermissionChannel_RelaysBothWays()
    {
        await using var host = await RelayHost.StartAsync(41000, 41049);
        await using var client = WireClient.Udp(host.Service.UdpEndPoints[0]);
        var (peer, peerAddress) = await StartPeerAsync();
        using var _ = peer;

        var allocation = await client.AllocateAsync();
        Assert.True(allocation.IsSuccess, $"Allocate: {allocation.ErrorCode}");
        Assert.True(allocation.VerifyIntegrity(client.Key));
        var relayed = allocation.XorRelayedAddress!.Value;
        Assert.Equal(IPAddress.Loopback, relayed.ToIPAddress());
        Assert.InRange(relayed.Port, 41000, 41049);

        Assert.True((await client.CreatePermissionAsync(peerAddress)).IsSuccess);
        await client.SendIndicationAsync(peerAddress, [1, 2, 3]);
        var (data, from) = await PeerReceiveAsync(peer);
        Assert.Equal(new byte[] { 1, 2, 3 }, data);
        Assert.Equal(relayed.ToIPEndPoint(), from);

        await peer.SendToAsync(new byte[] { 9, 9 }, SocketFlags.None, relayed.ToIPEndPoint());
        var indication = StunResponse.Parse(await client.ReceiveAsync());
        Assert.Equal(StunMethod.Data, indication.Method);
        Assert.Equal(new byte[] { 9, 9 }, indication.Data);
        Assert.Equal(peerAddress, indication.XorPeerAddress);

        Assert.True((await client.ChannelBindAsync(0x4000, peerAddress)).IsSuccess);
        await client.SendChannelDataAsync(0x4000, [5, 6, 7, 8, 9]);
        Assert.Equal(new byte[] { 5, 6, 7, 8, 9 }, (await PeerReceiveAsync(peer)).Data);
        await peer.SendToAsync(new byte[] { 4, 4, 4 }, SocketFlags.None, relayed.ToIPEndPoint());
        Assert.Equal(new byte[] { 0x40, 0x00, 0, 3, 4, 4, 4 }, await client.ReceiveAsync());

        var state = host.Host.Services.GetRequiredService<IRelayState>().GetSnapshot();
        var snapshot = Assert.Single(state.Allocations);
        Assert.Equal(8, snapshot.BytesFromClient);
        Assert.Equal(5, snapshot.BytesToClient);

        var refresh = await client.RequestAsync(StunMethod.Refresh, (ref StunMessageWriter w) => w.WriteLifetime(0));
        Assert.True(refresh.IsSuccess);
        Assert.Empty(host.Host.Services.GetRequiredService<IRelayState>().GetSnapshot().Allocations);
    }

    [Fact]
    public async Task Udp_Binding_ReturnsTheClientsAddress()
    {
        await using var host = await RelayHost.StartAsync(41050, 41059);
        await using var client = WireClient.Udp(host.Service.UdpEndPoints[0]);
        var response = await client.RequestAsync(StunMethod.Binding, null, authenticate: false);
        Assert.True(response.IsSuccess);
        Assert.Equal(IPAddress.Loopback, response.XorMappedAddress!.Value.ToIPAddress());
        Assert.True(response.HasFingerprint);
    }

    [Fact]
    public async Task Tcp_ChannelData_IsPaddedOnTheStream()
    {
        await using var host = await RelayHost.StartAsync(41060, 41099);
        await using var client = await WireClient.TcpAsync(host.Service.TcpEndPoints[0]);
        var (peer, peerAddress) = await StartPeerAsync();
        using var _ = peer;
        var allocation = await client.AllocateAsync();
        Assert.True(allocation.IsSuccess);
        Assert.Equal(RelayTransport.Tcp, Assert.Single(host.Host.Services.GetRequiredService<IRelayState>().GetSnapshot().Allocations).Transport);
        Assert.True((await client.ChannelBindAsync(0x4001, peerAddress)).IsSuccess);
        await client.SendChannelDataAsync(0x4001, [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, (await PeerReceiveAsync(peer)).Data);
        await peer.SendToAsync(new byte[] { 7, 7, 7 }, SocketFlags.None, allocation.XorRelayedAddress!.Value.ToIPEndPoint());
        Assert.Equal(new byte[] { 0x40, 0x01, 0, 3, 7, 7, 7, 0 }, await client.ReceiveAsync());
    }

    [Fact]
    public async Task Tcp_ClosingTheConnection_DeletesTheAllocation()
    {
        await using var host = await RelayHost.StartAsync(41100, 41109);
        var state = host.Host.Services.GetRequiredService<IRelayState>();
        var client = await WireClient.TcpAsync(host.Service.TcpEndPoints[0]);
        Assert.True((await client.AllocateAsync()).IsSuccess);
        Assert.Single(state.GetSnapshot().Allocations);
        await client.DisposeAsync();
        for (var i = 0; i < 50 && state.GetSnapshot().Allocations.Count > 0; i++) await Task.Delay(100);
        Assert.Empty(state.GetSnapshot().Allocations);
    }

    [Fact]
    public async Task Tcp_Garbage_IsDisconnected()
    {
        await using var host = await RelayHost.StartAsync(41110, 41119);
        await using var client = await WireClient.TcpAsync(host.Service.TcpEndPoints[0]);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Tcp_StallingMidFrame_IsDisconnectedAfterTheIdleTimeout()
    {
        await using var host = await RelayHost.StartAsync(41120, 41129, new Dictionary<string, string?> { ["Relay:StreamIdleTimeoutSeconds"] = "1" });
        await using var client = await WireClient.TcpAsync(host.Service.TcpEndPoints[0]);
        // The first 10 bytes of a Binding request announcing 8 more bytes that never come.
        await client.SendAsync([0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42, 1, 2]);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(6)));
    }

    [Fact]
    public async Task Tcp_IdleWithoutAllocation_IsDisconnected()
    {
        await using var host = await RelayHost.StartAsync(41130, 41139, new Dictionary<string, string?> { ["Relay:StreamIdleTimeoutSeconds"] = "1" });
        await using var client = await WireClient.TcpAsync(host.Service.TcpEndPoints[0]);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(6)));
    }

    [Fact]
    public async Task Tls_Allocate_Succeeds()
    {
        var tlsPort = FreeTcpPort();
        await using var host = await RelayHost.StartAsync(41140, 41149, new Dictionary<string, string?> { ["Relay:TlsPort"] = tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await using var client = await WireClient.TlsAsync(Assert.Single(host.Service.TlsEndPoints));
        var allocation = await client.AllocateAsync();
        Assert.True(allocation.IsSuccess);
        Assert.Equal(RelayTransport.Tls, Assert.Single(host.Host.Services.GetRequiredService<IRelayState>().GetSnapshot().Allocations).Transport);
    }

    [Fact]
    public async Task Udp_WrongPassword_Returns401()
    {
        await using var host = await RelayHost.StartAsync(41150, 41159);
        await using var client = WireClient.Udp(host.Service.UdpEndPoints[0]);
        client.Password = "wrong";
        Assert.Equal(401, (await client.AllocateAsync()).ErrorCode);
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
