using Admin.E2E.Tests.Relay;
using Admin.E2E.Tests.Sessions;
using Microsoft.Playwright;

namespace Admin.E2E.Tests.Operations;

/// <summary>The dashboard's charts in Chromium: separate rate and count charts with units, a range choice, hover values.</summary>
[Collection(OperatorPortalCollection.Name)]
public sealed class DashboardChartTests(OperatorPortalFixture fixture)
{
    [Fact]
    public async Task Charts_HaveUnitsAndRanges_AndShowValuesOnHover()
    {
        using var probe = new TurnProbe(fixture.TurnEndPoint, OperatorPortalFixture.Realm, "bob", OperatorPortalFixture.UserPassword);
        Assert.Equal(0, await probe.AllocateAsync());
        var page = await fixture.SignedInPageAsync("");
        await Assertions.Expect(page.GetByTestId("first-run")).ToHaveCountAsync(0);

        var counts = page.GetByTestId("chart-counts");
        var bandwidth = page.GetByTestId("chart-bandwidth");
        await Assertions.Expect(counts).ToBeVisibleAsync();
        await Assertions.Expect(bandwidth).ToBeVisibleAsync();
        await Assertions.Expect(counts).ToContainTextAsync("count (events per 10 s)");
        await Assertions.Expect(page.GetByTestId("chart-range-note")).ToContainTextAsync("times in UTC");
        await Assertions.Expect(bandwidth).ToContainTextAsync("bit/s");
        await Assertions.Expect(counts).ToContainTextAsync("live allocations");
        await Assertions.Expect(bandwidth).ToContainTextAsync("in (to peers)");
        await Assertions.Expect(bandwidth).ToContainTextAsync("out (to clients)");

        foreach (var (key, per) in new[] { ("5m", "1 s"), ("1h", "1 min"), ("24h", "5 min") })
        {
            await page.GetByTestId($"chart-range-{key}").ClickAsync();
            await Assertions.Expect(counts).ToContainTextAsync($"count (events per {per})");
        }
        await page.GetByTestId("chart-range-5m").ClickAsync();
        await Assertions.Expect(counts).ToContainTextAsync("count (events per 1 s)");

        // Hover the newest point of the live-allocations line: the tooltip names the series and its value.
        await Eventually.HoldsAsync(async () => await counts.Locator("svg circle").CountAsync() > 0, () => "no data points to hover");
        // A real time axis: labels on round times.
        await Eventually.HoldsAsync(async () => await counts.Locator("g.mud-charts-xaxis text").CountAsync() >= 1, () => "no time labels on the x axis");
        Assert.Matches(@"^\d\d:\d\d(:\d\d)?$", (await counts.Locator("g.mud-charts-xaxis text").First.TextContentAsync() ?? "").Trim());

        // The topmost series' point at that spot answers (all three are 0 at the first point when idle before the allocation).
        await counts.Locator("svg circle").First.HoverAsync(new() { Force = true });
        var tooltip = counts.Locator(".mud-charts-tooltip");
        await Assertions.Expect(tooltip).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"(live allocations|allocations created per 1 s|auth failures per 1 s): \d+.*UTC"));
        await Screenshots.TakeAsync(page, "dashboard-hover-1366");

        await Screenshots.BothSizesAsync(page, "dashboard");
        await page.Context.CloseAsync();
    }
}
