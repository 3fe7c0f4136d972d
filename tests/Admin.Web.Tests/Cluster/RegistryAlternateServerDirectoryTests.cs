using System.Net;
using System.Net.Sockets;
using Admin.Data.Cluster;
using Admin.Web.Cluster;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Cluster;

/// <summary>Redirect targets from the registry: up, not draining, not full, not self, same transport and family, in turn.</summary>
public sealed class RegistryAlternateServerDirectoryTests
{
    private static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(10);

    private static NodeRecord Node(string name, string udp, bool draining = false, bool full = false, double age = 1, string? tls = null) =>
        new(new ClusterNode
        {
            Name = name,
            UdpAddresses = [udp],
            TcpAddresses = [udp],
            TlsAddresses = tls is null ? [] : [tls],
            Draining = draining,
            Full = full,
        }, TimeSpan.FromSeconds(age));

    [Fact]
    public void TryGetAlternate_OnlyEligibleNodes_RoundRobin()
    {
        var nodes = new ClusterNodes("self");
        nodes.Publish(
        [
            Node("self", "198.18.7.1:3478"),
            Node("b", "198.18.7.2:3478", tls: "198.18.7.2:5349"),
            Node("c", "198.18.7.3:3478"),
            Node("down", "198.18.7.4:3478", age: 30),
            Node("draining", "198.18.7.5:3478", draining: true),
            Node("full", "198.18.7.6:3478", full: true),
            Node("v6", "[fd00:7::6]:3478"),
            Node("wildcard", "0.0.0.0:3478"),
        ], DownAfter, DateTimeOffset.UtcNow);
        var directory = new RegistryAlternateServerDirectory(nodes);

        var picked = Enumerable.Range(0, 4).Select(_ =>
        {
            Assert.True(directory.TryGetAlternate(RelayTransport.Udp, AddressFamily.InterNetwork, out var alternate));
            return alternate.ToString();
        }).ToList();
        Assert.Equal(["198.18.7.2:3478", "198.18.7.3:3478", "198.18.7.2:3478", "198.18.7.3:3478"], picked);

        Assert.True(directory.TryGetAlternate(RelayTransport.Tls, AddressFamily.InterNetwork, out var tls));
        Assert.Equal(IPEndPoint.Parse("198.18.7.2:5349"), tls);
        Assert.True(directory.TryGetAlternate(RelayTransport.Udp, AddressFamily.InterNetworkV6, out var v6));
        Assert.Equal(IPEndPoint.Parse("[fd00:7::6]:3478"), v6);
        Assert.False(directory.TryGetAlternate(RelayTransport.Tls, AddressFamily.InterNetworkV6, out _));
    }

    [Fact]
    public void TryGetAlternate_EmptyRegistry_False()
    {
        var directory = new RegistryAlternateServerDirectory(new ClusterNodes("self"));
        Assert.False(directory.TryGetAlternate(RelayTransport.Udp, AddressFamily.InterNetwork, out _));
    }
}
