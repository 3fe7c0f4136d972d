using Admin.Data.Administration;
using Admin.E2E.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Admin.E2E.Tests.Portal;
using Microsoft.Playwright;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Operations;

/// <summary>
/// The ICE test page in real Chromium: the operator's browser runs a relay-only WebRTC loop through this server with
/// credentials vended for the chosen realm, per transport, and says why when it fails.
/// </summary>
[Collection(OperatorPortalCollection.Name)]
public sealed class IceTestPageTests(OperatorPortalFixture fixture)
{
    [Fact]
    public async Task RunUdpAndTcp_DataChannelOpensThroughTheRelay_TurnsExplainsWhyThereIsNoUrl()
    {
        var page = await fixture.SignedInPageAsync("ice-test");
        await Assertions.Expect(page.GetByTestId("page-title")).ToHaveTextAsync("ICE test");
        await Assertions.Expect(page.GetByTestId("ice-test-controls")).ToHaveAttributeAsync("data-realm", OperatorPortalFixture.Realm);

        foreach (var transport in new[] { "udp", "tcp" })
        {
            await page.GetByTestId($"ice-test-run-{transport}").ClickAsync();
            var result = page.GetByTestId($"ice-test-result-{transport}");
            await Assertions.Expect(result).ToHaveAttributeAsync("data-ok", "true", new() { Timeout = 40_000 });
            await Assertions.Expect(result.GetByTestId("ice-test-opened")).ToHaveTextAsync("opened");
            await Assertions.Expect(result.GetByTestId("ice-test-rtt")).ToContainTextAsync(" ms");
            await Assertions.Expect(result.GetByTestId("ice-test-throughput")).ToContainTextAsync("bit/s");
            Assert.True(await result.Locator("[data-testid=ice-test-candidate][data-type=relay]").CountAsync() >= 2, $"{transport}: fewer than two relay candidates");
            await Assertions.Expect(result.GetByTestId("ice-test-diagnosis")).ToContainTextAsync("Works");
        }

        // TLS is off in this host: no turns: URL is vended, and the page says why instead of trying.
        await page.GetByTestId("ice-test-run-turns").ClickAsync();
        var turns = page.GetByTestId("ice-test-result-turns");
        await Assertions.Expect(turns).ToHaveAttributeAsync("data-ok", "false");
        await Assertions.Expect(turns.GetByTestId("ice-test-diagnosis")).ToContainTextAsync("No turns: URL");

        await Screenshots.BothSizesAsync(page, "ice-test-superuser");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RealmAdmin_CanPickOnlyTheirRealm_AndTheTestWorksForIt()
    {
        var page = await fixture.SignedInPageAsync("ice-test", OperatorPortalFixture.OtherRealmAdmin);
        await Assertions.Expect(page.GetByTestId("ice-test-controls")).ToHaveAttributeAsync("data-realm", OperatorPortalFixture.OtherRealm);
        await page.GetByTestId("ice-test-realm").ClickAsync();
        var items = page.Locator(".mud-popover-open .mud-list-item");
        await Assertions.Expect(items).ToHaveCountAsync(1);
        await Assertions.Expect(items).ToHaveTextAsync(OperatorPortalFixture.OtherRealm);
        await page.Keyboard.PressAsync("Escape");

        await page.GetByTestId("ice-test-run-udp").ClickAsync();
        var result = page.GetByTestId("ice-test-result-udp");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-ok", "true", new() { Timeout = 40_000 });
        await Assertions.Expect(result).ToContainTextAsync(OperatorPortalFixture.OtherRealm);
        await Screenshots.BothSizesAsync(page, "ice-test-realm-admin");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// A second host whose vended URLs name a port no relay listens on (Api:IceServerPort): the browser's packets get
    /// no TURN answer, and the page says so. The same fresh host shows the first-run dashboard before anything exists.
    /// </summary>
    [Fact]
    public async Task RelayUnreachable_FailsWithADiagnosis_AndAnEmptyServerShowsFirstRunSteps()
    {
        var deadPort = FreePort.TcpAndUdp();
        await using var app = await new AppFixtureBuilder("portal-ops-dead")
            .WithAdminPassword(OperatorPortalFixture.AdminPassword)
            .WithRelayRealm(OperatorPortalFixture.Realm)
            .With("Api:IceServerPort", deadPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .StartAsync();

        var dashboard = await OperatorPortalFixture.SignInAsync(fixture.Browser, app.BaseAddress, "", "admin", OperatorPortalFixture.AdminPassword, 1366, 900);
        var steps = dashboard.GetByTestId("first-run");
        await Assertions.Expect(steps).ToBeVisibleAsync();
        await Assertions.Expect(steps.GetByRole(AriaRole.Link, new() { Name = "Add a realm" })).ToHaveAttributeAsync("href", "realms");
        await Assertions.Expect(steps.GetByRole(AriaRole.Link, new() { Name = "Test from this browser" })).ToHaveAttributeAsync("href", "ice-test");
        await Assertions.Expect(dashboard.GetByTestId("charts-quiet")).ToBeVisibleAsync();
        await Assertions.Expect(dashboard.Locator(".mud-chart")).ToHaveCountAsync(0);
        await Screenshots.BothSizesAsync(dashboard, "dashboard-first-run");

        await app.Services.GetRequiredService<RealmAdministration>().AddAsync(AdminActor.System, OperatorPortalFixture.Realm, "", CancellationToken.None);
        await app.Services.GetRequiredService<SecretAdministration>().GenerateAsync(AdminActor.System, OperatorPortalFixture.Realm, CancellationToken.None);

        var page = dashboard;
        await page.GotoAsync("ice-test");
        await PortalPages.WaitInteractiveAsync(page);
        foreach (var transport in new[] { "udp", "tcp" })
        {
            await page.GetByTestId($"ice-test-run-{transport}").ClickAsync();
            var result = page.GetByTestId($"ice-test-result-{transport}");
            await Assertions.Expect(result).ToHaveAttributeAsync("data-ok", "false", new() { Timeout = 40_000 });
            await Assertions.Expect(result.GetByTestId("ice-test-opened")).ToHaveTextAsync("not opened");
            var diagnosis = await result.GetByTestId("ice-test-diagnosis").InnerTextAsync();
            Assert.True(diagnosis.Contains("701", StringComparison.Ordinal) || diagnosis.Contains("No relay candidates", StringComparison.Ordinal),
                $"{transport}: unexpected diagnosis: {diagnosis}");
            await Assertions.Expect(result.Locator("[data-testid=ice-test-candidate][data-type=relay]")).ToHaveCountAsync(0);
        }
        await Screenshots.BothSizesAsync(page, "ice-test-unreachable");
        await page.Context.CloseAsync();
    }
}
