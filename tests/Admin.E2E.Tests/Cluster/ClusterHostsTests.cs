using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// The harness's nodes are separate hosts: each relays aioice on its own namespace's address (the only one it has),
/// to the echo peer on the bridge, and answers its portal there; their processes are distinct and alive.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", ClusterCollection.Category)]
public sealed class ClusterHostsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task EachNode_RelaysOnItsOwnAddress_AndServesItsPortalThere()
    {
        var cluster = fixture.Cluster;
        Assert.Equal(3, cluster.Nodes.Select(n => n.ProcessId).Distinct().Count());
        foreach (var node in cluster.Nodes)
        {
            node.AssertAlive();
            var result = await AioiceTurnClient.RelayAsync(cluster.Target(node, "bystander"), fixture.Peer.EndPoint.Address.ToString(), fixture.Peer.Port,
                channelMessages: 2, timeout: TimeSpan.FromSeconds(15));
            Assert.True(result.Ok, $"aioice through {node} failed at {result.Step}: {result.Error}\n{result.Output}");
            Assert.Equal(node.Address.ToString(), result.RelayedAddress?[0]?.ToString());
            Assert.Equal(2, result.ChannelMessagesEchoed);

            using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            Assert.True((await http.GetAsync("readyz")).IsSuccessStatusCode, $"{node} is not ready");
        }
    }
}
