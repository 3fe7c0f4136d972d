using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// SIGKILL of node C (Cluster:NodeDownAfter 4 s here): node A's GET /api/v1/nodes shows C "down" within that age (plus
/// one heartbeat and a poll); A's live view drops C's rows at once and names C in unavailableNodes; terminating an
/// allocation on B from A and a user added on A and used on B keep working. C is started again afterwards.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", ClusterCollection.Category)]
public sealed class ClusterNodeFailureTests(ClusterFixture fixture, ITestOutputHelper output)
{
    // NodeDownAfter (4 s) + HeartbeatInterval (1 s) of slack for the last beat before the kill, + polling.
    private static readonly TimeSpan DownWithin = TimeSpan.FromSeconds(6);

    private ClusterHarness Cluster => fixture.Cluster;

    [Fact]
    public async Task SigkilledNode_IsDownWithinNodeDownAfter_OthersViewsTerminationsAndCredentialsKeepWorking()
    {
        var (a, b, c) = (Cluster.Nodes[0], Cluster.Nodes[1], Cluster.Nodes[2]);
        using var api = Cluster.ApiClient(a);
        using var onC = await fixture.HoldAsync(c, "survivor");
        using var onB = await fixture.HoldAsync(b, "survivor");
        await ClusterApi.WithinAsync(TimeSpan.FromSeconds(10), async () =>
        {
            var nodes = (await ClusterApi.SessionsAsync(api, "survivor")).Items.Select(s => ClusterApi.Describe(s).Node).ToList();
            return nodes.Contains(b.Name) && nodes.Contains(c.Name);
        }, () => $"{a.Name} never listed survivor's allocations on {b.Name} and {c.Name}:\n{ClusterApi.LastSessions}");
        Assert.Equal("up", (await ClusterApi.NodesAsync(api))[c.Name].GetProperty("state").GetString());

        try
        {
            await c.KillAsync();
            var killedAt = DateTime.UtcNow;

            // A's live view: C's rows go (a page never fails), and C is named as not answering, well before C is "down".
            var noticed = false;
            var down = await ClusterApi.WithinAsync(DownWithin, async () =>
            {
                var (items, unavailable) = await ClusterApi.SessionsAsync(api);
                Assert.DoesNotContain(items, s => ClusterApi.Describe(s).Node == c.Name && DateTime.UtcNow - killedAt > TimeSpan.FromSeconds(3));
                noticed |= unavailable.Contains(c.Name);
                return (await ClusterApi.NodesAsync(api))[c.Name].GetProperty("state").GetString() == "down";
            }, () => $"{a.Name}'s GET /api/v1/nodes did not show the killed {c.Name} down");
            output.WriteLine($"{c.Name} (SIGKILL) shown down by {a.Name} after {down.TotalMilliseconds:F0} ms");
            Assert.True(noticed, $"{a.Name}'s GET /api/v1/sessions never named {c.Name} in unavailableNodes after the kill");
            var (after, _) = await ClusterApi.SessionsAsync(api, "survivor");
            Assert.Equal(b.Name, ClusterApi.Describe(Assert.Single(after)).Node);

            // Credentials: a user added on A authenticates on B.
            var added = await api.PostAsJsonAsync($"api/v1/realms/{ClusterHarness.Realm}/users", new { name = "added-after-kill", password = ClusterHarness.UserPassword });
            Assert.True(added.StatusCode == HttpStatusCode.Created, $"add user on {a.Name}: {(int)added.StatusCode} {await added.Content.ReadAsStringAsync()}");
            await ClusterApi.WithinAsync(TimeSpan.FromSeconds(10), async () =>
                (await AioiceTurnClient.RelayAsync(Cluster.Target(b, "added-after-kill"), fixture.Peer.EndPoint.Address.ToString(), fixture.Peer.Port, channelMessages: 1, timeout: TimeSpan.FromSeconds(10))).Ok,
                () => $"the user added on {a.Name} was not accepted by {b.Name}");

            // Terminations: A ends survivor's allocation on B.
            var id = ClusterApi.Describe(after[0]).Id;
            var ended = await api.DeleteAsync($"api/v1/sessions/{b.Name}/{id}");
            Assert.True(ended.StatusCode == HttpStatusCode.OK, $"terminate on {b.Name} from {a.Name}: {(int)ended.StatusCode} {await ended.Content.ReadAsStringAsync()}");
            var held = await onB.WaitAsync();
            Assert.Equal(437, held.RefreshError);
        }
        finally
        {
            // Back for the other tests, registered and up again.
            if (!c.IsRunning) await c.StartAsync();
            await ClusterApi.WithinAsync(TimeSpan.FromSeconds(10),
                async () => (await ClusterApi.NodesAsync(api))[c.Name].GetProperty("state").GetString() == "up",
                () => $"{c.Name} did not come back up after its restart");
        }
    }
}
