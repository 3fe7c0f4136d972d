using Admin.Web.Cluster;
using Microsoft.Playwright;
using Turn.Relay.Seams;
using static Microsoft.Playwright.Assertions;

namespace Admin.E2E.Tests.Cluster;

/// <summary>The Nodes page in Chromium on alpha: both nodes up with their version, and beta drained and resumed from it after a confirmation.</summary>
[Collection(TwoNodeClusterCollection.Name)]
public sealed class NodesPageTests(TwoNodeClusterFixture cluster)
{
    [Fact]
    public async Task NodesPage_ShowsBothUp_DrainsAndResumesTheOtherNode()
    {
        var page = await cluster.SignedInPageAsync(cluster.Alpha, "nodes");
        try
        {
            await page.GetByTestId("nodes-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            var rows = page.GetByTestId("node-row");
            await Expect(rows).ToHaveCountAsync(2);
            var alpha = page.Locator("[data-testid=node-row][data-node=alpha]");
            var beta = page.Locator("[data-testid=node-row][data-node=beta]");
            await Expect(alpha).ToHaveAttributeAsync("data-state", "up");
            await Expect(beta).ToHaveAttributeAsync("data-state", "up");
            await Expect(alpha.GetByTestId("node-self")).ToBeVisibleAsync();
            await Expect(beta.GetByTestId("node-version")).ToHaveTextAsync(BuildInfo.Version);
            await Expect(beta.GetByTestId("node-certificate")).ToHaveTextAsync("no TLS");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Nodes" })).ToBeVisibleAsync();

            // Cancel changes nothing; Drain after confirming drains beta (not alpha).
            await beta.GetByTestId("node-drain").ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
            Assert.False(cluster.Beta.Get<IRelayControl>().IsDraining);
            await beta.GetByTestId("node-drain").ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("live allocations run on until they end");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Drain", Exact = true }).ClickAsync();
            await Expect(beta).ToHaveAttributeAsync("data-draining", "true");
            Assert.True(cluster.Beta.Get<IRelayControl>().IsDraining);
            Assert.False(cluster.Alpha.Get<IRelayControl>().IsDraining);
            Assert.NotEmpty(await cluster.AuditDetailsAsync(ClusterCommands.DrainAction, "beta"));

            await beta.GetByTestId("node-resume").ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Resume", Exact = true }).ClickAsync();
            await Expect(beta).ToHaveAttributeAsync("data-draining", "false");
            Assert.False(cluster.Beta.Get<IRelayControl>().IsDraining);
        }
        finally
        {
            cluster.Beta.Get<IRelayControl>().Resume();
            await page.Context.CloseAsync();
        }
    }
}
