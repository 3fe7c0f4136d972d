using Admin.E2E.Tests.Relay;
using Admin.E2E.Tests.Sessions;
using Admin.E2E.Tests.Portal;
using Microsoft.Playwright;

namespace Admin.E2E.Tests.Operations;

/// <summary>
/// The Sessions table at 1366 px and on a phone: whose session a row is stays visible, sort headers work from the
/// keyboard, the terminate buttons name the session they end, the column choice is remembered, the node column and
/// filter show this node.
/// </summary>
[Collection(OperatorPortalCollection.Name)]
public sealed class SessionsTableTests(OperatorPortalFixture fixture) : IDisposable
{
    private readonly List<TurnProbe> _probes = [];

    private async Task AllocateAsync(params string[] users)
    {
        foreach (var user in users)
        {
            var probe = new TurnProbe(fixture.TurnEndPoint, OperatorPortalFixture.Realm, user, OperatorPortalFixture.UserPassword);
            _probes.Add(probe);
            Assert.Equal(0, await probe.AllocateAsync());
        }
    }

    [Fact]
    public async Task Wide_FitsAndKeepsWhoseItIs_KeyboardSorts_NamesTheSessionItEnds()
    {
        await AllocateAsync("alice", "bob", "carol");
        var page = await fixture.SignedInPageAsync("sessions");
        var rows = page.Locator("[data-testid=session-row]");
        await Eventually.HoldsAsync(async () => await rows.CountAsync() >= 3, () => "three sessions did not show");

        // Node column and filter: this node's name (Usage:Node).
        var alice = page.Locator("[data-testid=session-row][data-user=alice]").First;
        await Assertions.Expect(alice.GetByTestId("session-node")).ToHaveTextAsync("node-a");

        // Fits 1366 px: the table does not scroll sideways and the actions are on screen.
        var overflow = await page.EvaluateAsync<int>("() => { const c = document.querySelector('[data-testid=sessions-table] .mud-table-container'); return c.scrollWidth - c.clientWidth; }");
        Assert.True(overflow <= 0, $"the table overflows by {overflow} px at 1366 px");
        var terminate = alice.GetByTestId("terminate-allocation");
        var box = await terminate.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X + box.Width <= 1366, $"terminate button at x={box.X} is off screen");
        Assert.Equal("sticky", await alice.Locator("td.sticky-user").EvaluateAsync<string>("e => getComputedStyle(e).position"));
        Assert.Equal("sticky", await alice.Locator("td.sticky-realm").EvaluateAsync<string>("e => getComputedStyle(e).position"));

        // Named buttons, and a confirmation that says whose session on which node.
        await Assertions.Expect(terminate).ToHaveAttributeAsync("aria-label", $"End alice@{OperatorPortalFixture.Realm}'s session on node node-a");
        await Assertions.Expect(alice.GetByTestId("terminate-user")).ToHaveAttributeAsync("aria-label", $"End all of alice@{OperatorPortalFixture.Realm}'s sessions");
        await Assertions.Expect(alice.GetByTestId("session-details")).ToHaveAttributeAsync("aria-label", $"Permissions and channels of alice@{OperatorPortalFixture.Realm}'s session");
        await page.GetByRole(AriaRole.Button, new() { Name = $"End alice@{OperatorPortalFixture.Realm}'s session on node node-a" }).First.ClickAsync();
        await Assertions.Expect(page.GetByText($"End alice@{OperatorPortalFixture.Realm}'s session on node node-a?", new() { Exact = false })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        // Keyboard: Tab reaches the sort buttons; Enter sorts, Space reverses. Start from the column chooser's button
        // (opened and closed by click, which leaves the focus on it after the dialog handed focus back).
        await page.GetByTestId("columns-toggle").ClickAsync();
        await page.GetByTestId("columns-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("columns-chooser")).ToHaveCountAsync(0);
        var reached = false;
        var path = new List<string>();
        for (var i = 0; i < 10 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string>("() => { const e = document.activeElement; return e ? e.tagName + ':' + (e.getAttribute('data-testid') ?? e.getAttribute('aria-label') ?? e.textContent?.trim().slice(0, 20)) : 'none'; }");
            path.Add(focused);
            reached = focused == "BUTTON:sort-User";
        }
        Assert.True(reached, "Tab from the column chooser did not reach the User sort header: " + string.Join(" → ", path));
        await page.Keyboard.PressAsync("Enter");
        var userHeader = page.Locator("th").Filter(new() { Has = page.GetByTestId("sort-User") });
        await Assertions.Expect(userHeader).ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-user", "alice");
        await page.Keyboard.PressAsync(" ");
        await Assertions.Expect(userHeader).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-user", "carol");

        // Node filter: every session here is on node-a (other tests of this class may have left theirs running).
        var total = await page.GetByTestId("sessions-total").TextContentAsync();
        await page.GetByTestId("filter-node").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "node-a" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("sessions-total")).ToHaveTextAsync(total!);
        Assert.True(await rows.CountAsync() >= 3);

        await Screenshots.TakeAsync(page, "sessions-1366");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ColumnChoice_IsRememberedInTheBrowser_UserAndRealmCannotBeHidden()
    {
        await AllocateAsync("bob");
        var page = await fixture.SignedInPageAsync("sessions");
        await Assertions.Expect(page.GetByTestId("sort-Client")).ToHaveCountAsync(1);
        await page.GetByTestId("columns-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("column-User")).ToHaveCountAsync(0);
        await page.GetByTestId("column-Client").ClickAsync();
        await page.GetByTestId("column-PacketsIn").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sort-Client")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("sort-PacketsIn")).ToHaveCountAsync(1);

        await page.ReloadAsync();
        await PortalPages.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("sort-Client")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("sort-PacketsIn")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("sort-User")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("sort-Realm")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Phone_ShowsCardsWithWhoseSessionAndNamedButtons()
    {
        await AllocateAsync("carol");
        var page = await fixture.SignedInPageAsync("sessions", width: 390, height: 844);
        var card = page.Locator("[data-testid=session-card][data-user=carol]").First;
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(card).ToContainTextAsync($"carol@{OperatorPortalFixture.Realm}");
        await Assertions.Expect(card).ToContainTextAsync("node-a");
        await Assertions.Expect(page.GetByTestId("sessions-table")).Not.ToBeVisibleAsync();
        await Assertions.Expect(card.GetByTestId("terminate-allocation")).ToHaveAttributeAsync("aria-label", $"End carol@{OperatorPortalFixture.Realm}'s session on node node-a");
        var box = await card.GetByTestId("terminate-allocation").BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X + box.Width <= 390, "the terminate button is off a phone's screen");
        await Screenshots.TakeAsync(page, "sessions-390");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RealmAdmin_SeesOnlyTheirRealm_WithTheNodeFilter()
    {
        await AllocateAsync("alice");
        var page = await fixture.SignedInPageAsync("sessions", OperatorPortalFixture.OtherRealmAdmin);
        await Assertions.Expect(page.GetByTestId("sessions-total")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-testid=session-row]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("filter-realm")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("filter-node")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "sessions-realm-admin-1366");
        await page.Context.CloseAsync();
    }

    public void Dispose()
    {
        foreach (var probe in _probes) probe.Dispose();
    }
}
