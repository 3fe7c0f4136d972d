using System.Net;
using System.Net.Sockets;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

/// <summary>RelayHostedService stopping more than once, and from several threads at once (relay ports from the allocator).</summary>
public sealed class HostedServiceStopTests
{
    [Fact]
    public async Task StopAsync_CalledConcurrentlyAndTwice_StopsEveryListenerOnce()
    {
        await using var host = await RelayHost.StartAsync(new Dictionary<string, string?> { ["Relay:UdpListenersPerAddress"] = "3" }, relayPorts: 10);
        var udp = host.Service.UdpEndPoints[0];
        var tcp = host.Service.TcpEndPoints[0];

        // Several callers at once (a test fixture and the host, say), then again, then Dispose.
        using var start = new Barrier(4);
        var stops = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return host.Service.StopAsync(CancellationToken.None);
        }));
        await Task.WhenAll(stops);
        await host.Service.StopAsync(CancellationToken.None);
        host.Service.Dispose();

        Assert.Empty(host.Service.UdpEndPoints);
        Assert.Empty(host.Service.TcpEndPoints);
        // Every listener was really closed: both ports can be bound again.
        using var udpAgain = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udpAgain.Bind(udp);
        using var tcpAgain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcpAgain.Bind(tcp);
        Assert.Equal(udp.Port, ((IPEndPoint)udpAgain.LocalEndPoint!).Port);
    }
}
