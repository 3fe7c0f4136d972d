using System.Globalization;
using Microsoft.Playwright;
using Turn.Relay.Seams;

namespace Admin.E2E.Tests.Operations;

/// <summary>The Server page in Chromium: what this server is, for a superuser and for a realm admin.</summary>
[Collection(OperatorPortalCollection.Name)]
public sealed class ServerPageTests(OperatorPortalFixture fixture)
{
    [Fact]
    public async Task Superuser_SeesVersionNodeListenersRangeDatabaseAndCertificates_FromTheNavigation()
    {
        var page = await fixture.SignedInPageAsync("");
        await page.GetByRole(AriaRole.Link, new() { Name = "Server", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Server");

        await Assertions.Expect(page.GetByTestId("server-version")).ToContainTextAsync(BuildInfo.Version);
        await Assertions.Expect(page.GetByTestId("server-node")).ToHaveTextAsync("node-a");
        await Assertions.Expect(page.GetByTestId("server-default-realm")).ToHaveTextAsync(OperatorPortalFixture.Realm);
        var port = fixture.App.TurnPort.ToString(CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("[data-testid=server-listener][data-transport=udp]")).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(page.Locator("[data-testid=server-listener][data-transport=udp] [data-testid=server-listener-ports]")).ToHaveTextAsync(port);
        await Assertions.Expect(page.Locator("[data-testid=server-listener][data-transport=tcp] [data-testid=server-listener-ports]")).ToHaveTextAsync(port);
        await Assertions.Expect(page.Locator("[data-testid=server-listener][data-transport=tls]")).ToContainTextAsync("off");
        var range = fixture.App.RelayPorts;
        await Assertions.Expect(page.GetByTestId("server-relay-range")).ToContainTextAsync(range.MinSetting);
        await Assertions.Expect(page.GetByTestId("server-relay-range")).ToContainTextAsync(range.MaxSetting);
        await Assertions.Expect(page.GetByTestId("server-database-state")).ToHaveTextAsync("reachable");
        await Assertions.Expect(page.GetByTestId("server-drain-state")).ToContainTextAsync("accepted");
        await Assertions.Expect(page.GetByTestId("server-certificates-none")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("server-external")).ToContainTextAsync("not set");

        await Screenshots.BothSizesAsync(page, "server-superuser");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RealmAdmin_SeesWhatClientsUse_ButNotTheServerWideInternals()
    {
        var page = await fixture.SignedInPageAsync("server", OperatorPortalFixture.OtherRealmAdmin);
        await Assertions.Expect(page.GetByTestId("server-version")).ToContainTextAsync(BuildInfo.Version);
        await Assertions.Expect(page.Locator("[data-testid=server-listener][data-transport=udp] [data-testid=server-listener-ports]"))
            .ToHaveTextAsync(fixture.App.TurnPort.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("server-scope-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("server-database")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("server-relay-range")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("server-default-realm")).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "server-realm-admin-1366");
        await page.Context.CloseAsync();
    }
}
