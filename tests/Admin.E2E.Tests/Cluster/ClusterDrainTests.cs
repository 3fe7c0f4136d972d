using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// Draining node B from node A's API (POST /api/v1/nodes/node-b/drain): B answers a new Allocate with 300 Try Alternate
/// naming another live node, so a new Chromium relay-only call aimed at B connects through A or C; B's live allocation
/// runs on; the registry shows B draining; the command is audited on A naming B. Resuming from A lets B allocate again.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", ClusterCollection.Category)]
public sealed class ClusterDrainTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private ClusterHarness Cluster => fixture.Cluster;

    [Fact]
    public async Task DrainNodeB_FromNodeA_NewChromiumCallAimedAtB_IsRedirectedToAnotherNode_LiveOneRunsOn()
    {
        var (a, b) = (Cluster.Nodes[0], Cluster.Nodes[1]);
        using var api = Cluster.ApiClient(a);
        using var live = await fixture.HoldAsync(b, "drain-live");
        try
        {
            var drained = await api.PostAsync($"api/v1/nodes/{b.Name}/drain", null);
            Assert.True(drained.StatusCode == HttpStatusCode.OK, $"POST api/v1/nodes/{b.Name}/drain on {a.Name}: {(int)drained.StatusCode} {await drained.Content.ReadAsStringAsync()}");
            var body = await drained.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(b.Name, body.GetProperty("node").GetString());
            Assert.True(body.GetProperty("draining").GetBoolean());
            Assert.True(body.GetProperty("audited").GetBoolean());
            Assert.True(body.GetProperty("liveAllocations").GetInt32() >= 1, body.ToString());

            // The registry says so (A reads it), within a heartbeat or two.
            await ClusterApi.WithinAsync(TimeSpan.FromSeconds(5),
                async () => (await ClusterApi.NodesAsync(api))[b.Name].GetProperty("draining").GetBoolean(),
                () => $"{a.Name}'s GET /api/v1/nodes never showed {b.Name} draining");

            // A raw client sees the redirect itself: 300 Try Alternate (aioice does not follow it).
            var refused = await AioiceTurnClient.RelayAsync(Cluster.Target(b, "drain-new"), fixture.Peer.EndPoint.Address.ToString(), fixture.Peer.Port, channelMessages: 1, timeout: TimeSpan.FromSeconds(15));
            Assert.False(refused.Ok, refused.Output);
            Assert.Equal(("allocate", 300), (refused.Step, refused.ErrorCode));

            // Chromium follows it: the call aimed at B is relayed by A or C.
            await using (var call = await HeldWebRtcCall.StartAsync(fixture.Browser, ClusterFixture.TurnUrl(b), "drain-new", ClusterHarness.UserPassword))
            {
                Assert.True(call.Result.Opened && call.Result.Echoed, $"the Chromium call aimed at draining {b.Name} failed: {call.Result}");
                Assert.Equal("relay", call.Result.LocalCandidateType);
                var others = Cluster.Nodes.Where(n => n != b).Select(n => n.Address.ToString()).ToList();
                Assert.Contains(call.Result.LocalAddress, others);
                output.WriteLine($"Chromium aimed at {b.Address} was relayed by {call.Result.LocalAddress}");
            }

            Assert.True(live.IsRunning, $"the live allocation on {b.Name} ended while it drained");

            // Audited on A, naming B.
            // The action's name is cluster-view's to choose; any drain action naming the node counts.
            var rows = await Cluster.AuditRowsAsync("%drain%");
            Assert.Contains(rows, r => (r.Target + r.Details).Contains(b.Name, StringComparison.Ordinal) && r.Admin == "admin");
        }
        finally
        {
            // Never leave B draining for the other tests.
            var resumed = await api.DeleteAsync($"api/v1/nodes/{b.Name}/drain");
            Assert.True(resumed.StatusCode == HttpStatusCode.OK, $"DELETE api/v1/nodes/{b.Name}/drain: {(int)resumed.StatusCode} {await resumed.Content.ReadAsStringAsync()}");
        }

        var accepted = await AioiceTurnClient.RelayAsync(Cluster.Target(b, "drain-new"), fixture.Peer.EndPoint.Address.ToString(), fixture.Peer.Port, channelMessages: 1, timeout: TimeSpan.FromSeconds(15));
        Assert.True(accepted.Ok, $"{b.Name} still refuses after the resume: {accepted.Output}");
        live.Stop();
        var held = await live.WaitAsync();
        Assert.True(held.Ok && held.Deleted && held.RefreshError == 0, held.Output);
    }
}
