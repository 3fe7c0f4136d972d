using System.Net;
using Microsoft.Extensions.Time.Testing;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Allocations;

public sealed class PortAllocatorTests
{
    private static readonly TransportAddress Relay = TransportAddress.FromIPAddress(IPAddress.Parse("192.0.2.1"), 0);

    [Fact]
    public void PortTheOsRefused_NotTriedAgainUntilRefusedPortRetryPasses()
    {
        var time = new FakeTimeProvider();
        var sockets = new TestRelaySocketFactory();
        // Another program holds eight of the ten ports.
        for (var port = 50000; port < 50008; port++) sockets.Refused.Add(port);
        var ports = new PortAllocator(50000, 50009, sockets, time);

        Assert.True(ports.TryAllocate(Relay, even: false, pair: false, out var first, out _));
        Assert.True(ports.TryAllocate(Relay, even: false, pair: false, out var second, out _));
        Assert.Equal(new[] { 50008, 50009 }, new[] { (int)first!.LocalAddress.Port, second!.LocalAddress.Port }.Order());

        // Full: every refused port has now been asked for exactly once (eight refusals and the two binds).
        Assert.False(ports.TryAllocate(Relay, even: false, pair: false, out _, out _));
        Assert.Equal(10, sockets.Attempts);
        Assert.False(ports.TryAllocate(Relay, even: false, pair: false, out _, out _));
        Assert.Equal(10, sockets.Attempts);
        // Freed ports are found without asking for the refused ones again.
        ports.Release(first);
        ports.Release(second);
        Assert.True(ports.TryAllocate(Relay, even: false, pair: false, out var third, out _));
        Assert.True(ports.TryAllocate(Relay, even: false, pair: false, out var fourth, out _));
        Assert.Equal(12, sockets.Attempts);

        // After RefusedPortRetry they are tried again, and one the other program let go is handed out.
        sockets.Refused.Remove(50003);
        time.Advance(PortAllocator.RefusedPortRetry + TimeSpan.FromSeconds(1));
        Assert.True(ports.TryAllocate(Relay, even: false, pair: false, out var freed, out _));
        Assert.Equal(50003, freed!.LocalAddress.Port);
        Assert.NotNull(third);
        Assert.NotNull(fourth);
    }

    [Fact]
    public void Pair_SecondPortRefused_IsRememberedToo()
    {
        var time = new FakeTimeProvider();
        var sockets = new TestRelaySocketFactory();
        sockets.Refused.Add(50001);
        var ports = new PortAllocator(50000, 50003, sockets, time);

        Assert.True(ports.TryAllocate(Relay, even: true, pair: true, out var socket, out var next));
        Assert.Equal(50002, socket!.LocalAddress.Port);
        Assert.Equal(50003, next!.LocalAddress.Port);
        // The only other pair is 50000-50001, whose second port is refused: found out once, then remembered.
        Assert.False(ports.TryAllocate(Relay, even: true, pair: true, out _, out _));
        var attempts = sockets.Attempts;
        Assert.False(ports.TryAllocate(Relay, even: true, pair: true, out _, out _));
        Assert.Equal(attempts, sockets.Attempts);

        ports.Release(socket);
        ports.Release(next);
        Assert.True(ports.TryAllocate(Relay, even: true, pair: true, out socket, out next));
        Assert.Equal(50002, socket!.LocalAddress.Port);
        Assert.Equal(attempts + 2, sockets.Attempts);
    }
}
