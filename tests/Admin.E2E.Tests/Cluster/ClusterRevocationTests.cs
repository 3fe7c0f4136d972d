using System.Net;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// Revoking credentials on one node ends the allocations they opened on another (PostgreSQL NOTIFY, as before the
/// cluster existed): disabling a user through node A's API ends that user's aioice allocation on node C (its next
/// Refresh fails and C's own view drops it), while another user's allocation on C runs on.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", ClusterCollection.Category)]
public sealed class ClusterRevocationTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private ClusterHarness Cluster => fixture.Cluster;

    [Fact]
    public async Task DisablingAUserOnNodeA_EndsTheirAllocationOnNodeC_ARealClientSeesIt()
    {
        var (a, c) = (Cluster.Nodes[0], Cluster.Nodes[2]);
        using var revoked = await fixture.HoldAsync(c, "revoked");
        using var bystander = await fixture.HoldAsync(c, "revoke-bystander");
        using var apiA = Cluster.ApiClient(a);
        using var apiC = Cluster.ApiClient(c);
        await ClusterApi.WithinAsync(TimeSpan.FromSeconds(10), async () => (await ClusterApi.SessionsAsync(apiC, "revoked")).Items.Count == 1,
            () => $"{c.Name} never listed revoked's allocation:\n{ClusterApi.LastSessions}\n{Cluster.Logs()}");

        var disabled = await apiA.PostAsync($"api/v1/realms/{ClusterHarness.Realm}/users/revoked/disable", null);
        Assert.True(disabled.IsSuccessStatusCode, $"disable on {a.Name}: {(int)disabled.StatusCode} {await disabled.Content.ReadAsStringAsync()}");

        // C ends it (its own view, no cluster fetch involved), and the client's next Refresh fails.
        var took = await ClusterApi.WithinAsync(TimeSpan.FromSeconds(3), async () => (await ClusterApi.SessionsAsync(apiC, "revoked")).Items.Count == 0,
            () => $"{c.Name} still holds revoked's allocation after {a.Name} disabled the user:\n{ClusterApi.LastSessions}");
        output.WriteLine($"{c.Name} ended the allocation {took.TotalMilliseconds:F0} ms after {a.Name} disabled the user");
        var held = await revoked.WaitAsync();
        Assert.True(held.Ok, held.Output);
        // 401 while disabled (it can no longer authenticate); 437 if the refresh came after a re-enable.
        Assert.True(held.RefreshError is 401 or 437, $"expected the Refresh to fail with 401: {held.Output}");
        Assert.True(bystander.IsRunning, "the other user's allocation on node C ended too");

        bystander.Stop();
        var survived = await bystander.WaitAsync();
        Assert.True(survived.Ok && survived.Deleted && survived.RefreshError == 0, survived.Output);
        Assert.Equal(HttpStatusCode.OK, (await apiA.PostAsync($"api/v1/realms/{ClusterHarness.Realm}/users/revoked/enable", null)).StatusCode);
    }
}
