using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Redirects;

/// <summary>
/// Two relay-only hosts on real sockets: A lists B in Relay:AlternateServers. Drained (or full), A answers a client's
/// first Allocate 300 with B's address of the client's transport, and the client that follows it, as Chromium does
/// (no credentials carried over), gets its allocation on B.
/// </summary>
public sealed class RedirectSocketTests
{
    private static async Task<(RelayHost A, RelayHost B)> StartPairAsync(Dictionary<string, string?>? extraA = null)
    {
        var b = await RelayHost.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Relay:AlternateServers:0"] = "udp=" + b.Service.UdpEndPoints[0],
            ["Relay:AlternateServers:1"] = "tcp=" + b.Service.TcpEndPoints[0],
        };
        foreach (var (key, value) in extraA ?? []) settings[key] = value;
        return (await RelayHost.StartAsync(settings), b);
    }

    [Fact]
    public async Task DrainedHost_Udp_300NamesTheAlternate_ClientFollowsAndAllocatesThere()
    {
        var (a, b) = await StartPairAsync();
        await using (a)
        await using (b)
        {
            a.Host.Services.GetRequiredService<IRelayControl>().Drain();
            await using var first = WireClient.Udp(a.Service.UdpEndPoints[0]);

            var redirect = await first.RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false);

            Assert.Equal(300, redirect.ErrorCode);
            Assert.Equal(TransportAddress.FromIPEndPoint(b.Service.UdpEndPoints[0]), redirect.AlternateServer);
            Assert.Null(redirect.Nonce);
            await using var follower = WireClient.Udp(redirect.AlternateServer!.Value.ToIPEndPoint());
            var allocation = await follower.AllocateAsync();
            Assert.True(allocation.IsSuccess, $"Allocate on the alternate: {allocation.ErrorCode}");
            Assert.Empty(a.Host.Services.GetRequiredService<IRelayState>().GetSnapshot().Allocations);
            Assert.Single(b.Host.Services.GetRequiredService<IRelayState>().GetSnapshot().Allocations);
        }
    }

    [Fact]
    public async Task DrainedHost_Tcp_300NamesTheTcpAlternate()
    {
        var (a, b) = await StartPairAsync();
        await using (a)
        await using (b)
        {
            a.Host.Services.GetRequiredService<IRelayControl>().Drain();
            await using var client = await WireClient.TcpAsync(a.Service.TcpEndPoints[0]);

            var redirect = await client.RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false);

            Assert.Equal(300, redirect.ErrorCode);
            Assert.Equal(TransportAddress.FromIPEndPoint(b.Service.TcpEndPoints[0]), redirect.AlternateServer);
            await using var follower = await WireClient.TcpAsync(redirect.AlternateServer!.Value.ToIPEndPoint());
            Assert.True((await follower.AllocateAsync()).IsSuccess);
        }
    }

    [Fact]
    public async Task FullHost_AuthenticatedAllocate_Gets300SignedWithTheKey()
    {
        var (a, b) = await StartPairAsync(new() { ["Relay:MaxAllocations"] = "1" });
        await using (a)
        await using (b)
        {
            await using var holder = WireClient.Udp(a.Service.UdpEndPoints[0]);
            await using var late = WireClient.Udp(a.Service.UdpEndPoints[0]);
            var challenge = await late.RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false);
            (late.Realm, late.Nonce) = (challenge.Realm!, challenge.Nonce!);
            Assert.True((await holder.AllocateAsync()).IsSuccess);

            var redirect = await late.RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17));

            Assert.Equal(300, redirect.ErrorCode);
            Assert.Equal(TransportAddress.FromIPEndPoint(b.Service.UdpEndPoints[0]), redirect.AlternateServer);
            Assert.True(redirect.VerifyIntegrity(late.Key));
        }
    }

    [Fact]
    public async Task DrainedHost_NoAlternates_508AsBefore()
    {
        await using var a = await RelayHost.StartAsync();
        a.Host.Services.GetRequiredService<IRelayControl>().Drain();
        await using var client = WireClient.Udp(a.Service.UdpEndPoints[0]);

        Assert.Equal(508, (await client.AllocateAsync()).ErrorCode);
    }
}
