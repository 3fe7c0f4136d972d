using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// One node's live view shows the whole cluster: aioice and Chromium (relay only) hold allocations on each of three
/// nodes in their own namespaces; node A's GET /api/v1/sessions and its Sessions page in Chromium list every one with
/// the node that holds it, within about two seconds. Terminating from node A an allocation held on node B ends it
/// there: the client's next Refresh gets 437, a bystander on B runs on, and the command is audited naming node B.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", ClusterCollection.Category)]
public sealed class ClusterLiveViewTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(4);

    private ClusterHarness Cluster => fixture.Cluster;

    [Fact]
    public async Task OneNodesSessions_ApiAndPage_ShowEveryNodesAioiceAndChromiumAllocations_WithTheirNode()
    {
        var holds = new List<Turnstone.TestSupport.Clients.AioiceHoldSession>();
        var calls = new List<HeldWebRtcCall>();
        try
        {
            foreach (var node in Cluster.Nodes)
            {
                holds.Add(await fixture.HoldAsync(node, "view-aioice"));
                var call = await HeldWebRtcCall.StartAsync(fixture.Browser, ClusterFixture.TurnUrl(node), "view-chromium", ClusterHarness.UserPassword);
                calls.Add(call);
                Assert.True(call.Result.Opened && call.Result.Echoed, $"the Chromium call through {node} failed: {call.Result}");
                Assert.Equal("relay", call.Result.LocalCandidateType);
                Assert.Equal(node.Address.ToString(), call.Result.LocalAddress);
            }

            var a = Cluster.Nodes[0];
            using var api = Cluster.ApiClient(a);
            var took = await ClusterApi.WithinAsync(Fresh, async () =>
            {
                var (items, _) = await ClusterApi.SessionsAsync(api);
                var seen = items.Select(ClusterApi.Describe).ToList();
                return Cluster.Nodes.All(n =>
                    seen.Count(s => s.User == "view-aioice" && s.Node == n.Name) == 1
                    && seen.Count(s => s.User == "view-chromium" && s.Node == n.Name) >= 2);
            }, () => $"{a.Name}'s GET /api/v1/sessions did not list one aioice and two Chromium allocations per node:\n{ClusterApi.LastSessions}");
            output.WriteLine($"{a.Name}'s API listed all nodes' allocations {took.TotalMilliseconds:F0} ms after the last client was up");

            // The Sessions page of node A: the same rows, each naming its node.
            var page = await fixture.SignedInPageAsync(a, "sessions");
            try
            {
                // Every row carries its node (data-node, the Sessions page's node column).
                var aioiceRows = page.Locator("[data-testid=session-row][data-user=view-aioice]");
                await Assertions.Expect(aioiceRows).ToHaveCountAsync(3, new() { Timeout = (float)Fresh.TotalMilliseconds + 5_000 });
                foreach (var node in Cluster.Nodes)
                {
                    await Assertions.Expect(page.Locator($"[data-testid=session-row][data-user=view-aioice][data-node={node.Name}]")).ToHaveCountAsync(1);
                    Assert.True(await page.Locator($"[data-testid=session-row][data-user=view-chromium][data-node={node.Name}]").CountAsync() >= 2,
                        $"{a.Name}'s Sessions page shows fewer than two Chromium allocations on {node.Name}");
                }
            }
            finally
            {
                await page.Context.CloseAsync();
            }
        }
        finally
        {
            foreach (var call in calls) await call.DisposeAsync();
            foreach (var hold in holds)
            {
                hold.Stop();
                hold.Dispose();
            }
        }
    }

    [Fact]
    public async Task TerminateFromNodeA_AnAllocationOnNodeB_ItsClientsNextRefreshGets437_AndTheAuditNamesB()
    {
        var (a, b) = (Cluster.Nodes[0], Cluster.Nodes[1]);
        using var target = await fixture.HoldAsync(b, "remote-kill");
        using var bystander = await fixture.HoldAsync(b, "bystander");
        using var api = Cluster.ApiClient(a);

        (string User, string? Node, string Id) session = default;
        await ClusterApi.WithinAsync(Fresh, async () =>
        {
            var (items, _) = await ClusterApi.SessionsAsync(api, "remote-kill");
            if (items.Count != 1) return false;
            session = ClusterApi.Describe(items[0]);
            return true;
        }, () => $"{a.Name} never listed remote-kill's allocation on {b.Name}:\n{ClusterApi.LastSessions}");
        Assert.Equal(b.Name, session.Node);

        var ended = await api.DeleteAsync($"api/v1/sessions/{b.Name}/{session.Id}");
        Assert.True(ended.StatusCode == HttpStatusCode.OK, $"DELETE api/v1/sessions/{b.Name}/{session.Id} on {a.Name}: {(int)ended.StatusCode} {await ended.Content.ReadAsStringAsync()}");
        var body = await ended.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("terminated").GetInt32());

        var held = await target.WaitAsync();
        Assert.True(held.Ok, held.Output);
        Assert.Equal(437, held.RefreshError);
        Assert.True(bystander.IsRunning, "the bystander on node B lost its allocation too");
        // Gone from A's cluster view too.
        await ClusterApi.WithinAsync(Fresh, async () => (await ClusterApi.SessionsAsync(api, "remote-kill")).Items.Count == 0,
            () => $"{a.Name} still lists the terminated allocation:\n{ClusterApi.LastSessions}");

        // Audited on A (the node it was issued on), naming B.
        var rows = await Cluster.AuditRowsAsync("session.terminate");
        var row = Assert.Single(rows, r => r.Target.Contains(session.Id!, StringComparison.Ordinal));
        Assert.Equal("admin", row.Admin);
        Assert.Contains(b.Name, row.Target + row.Details, StringComparison.Ordinal);

        bystander.Stop();
        var survived = await bystander.WaitAsync();
        Assert.True(survived.Ok && survived.Deleted && survived.RefreshError == 0, survived.Output);
    }
}
