using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Redirects;

/// <summary>
/// IRelayStatus.IsFull is the engine's own test (the one its 300 redirect uses), which the node registry publishes: a
/// host at Relay:MaxAllocations is full, and stops being full when the allocation ends.
/// </summary>
public sealed class RelayStatusFullTests
{
    [Fact]
    public async Task AtMaxAllocations_IsFull_UntilTheAllocationEnds()
    {
        await using var host = await RelayHost.StartAsync(new Dictionary<string, string?> { ["Relay:MaxAllocations"] = "1" });
        var status = host.Host.Services.GetRequiredService<IRelayStatus>();
        Assert.False(status.IsFull);

        await using var client = WireClient.Udp(host.Service.UdpEndPoints[0]);
        Assert.True((await client.AllocateAsync()).IsSuccess);
        Assert.True(status.IsFull);

        var id = Assert.Single(host.Host.Services.GetRequiredService<IRelayState>().GetSnapshot().Allocations).Id;
        Assert.True(host.Host.Services.GetRequiredService<IRelayControl>().TerminateAllocation(id));
        Assert.False(status.IsFull);
    }
}
