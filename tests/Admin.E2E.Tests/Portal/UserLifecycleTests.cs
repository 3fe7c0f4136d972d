using System.Net;
using Admin.Data.Administration;
using Turn.Protocol;
using Microsoft.Playwright;
using Turnstone.TestSupport.Clients;
using static Admin.E2E.Tests.Portal.PortalPages;

namespace Admin.E2E.Tests.Portal;

/// <summary>
/// Issue 4's browser path end to end: a realm and a user made in the portal allocate on the running relay at once
/// (aioice and turnutils_uclient), a password changed in the portal refuses the old one, and disabling the user in
/// the portal ends their live allocation; a secret generated in the portal signs ephemeral credentials the relay accepts.
/// </summary>
[Collection(ManagementCollection.Name)]
public sealed class UserLifecycleTests(ManagementFixture portal)
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task RealmAndUser_MadeInPortal_AllocateAtOnce_PasswordChangeAndDisableReachTheRelay()
    {
        var page = await portal.NewPageAsync();
        await SignInAsync(page, "admin", PortalFixture.AdminPassword);

        // Create the realm the relay offers, then a user in it.
        await OpenAsync(page, "realms");
        await page.GetByTestId("realm-add").ClickAsync();
        await Input(page, "realm-name").FillAsync(ManagementFixture.RelayRealm);
        await Input(page, "realm-description").FillAsync("made by the browser test");
        await page.GetByTestId("realm-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("realm-link").GetByText(ManagementFixture.RelayRealm, new() { Exact = true })).ToBeVisibleAsync();

        await OpenAsync(page, $"users/{ManagementFixture.RelayRealm}");
        await page.GetByTestId("user-add").ClickAsync();
        await Input(page, "user-name").FillAsync("alice");
        await Input(page, "user-password").FillAsync("first-Passw0rd");
        await page.GetByTestId("user-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-row-alice")).ToBeVisibleAsync();

        await using var peer = await TurnutilsPeer.StartAsync(IPAddress.Loopback);
        var target = new TurnServerTarget("127.0.0.1", portal.RelayUdpPort, ClientTransport.Udp, ManagementFixture.RelayRealm, "alice", "first-Passw0rd");

        // At once: no restart, no wait beyond the client's own round trips.
        var relayed = await AioiceTurnClient.RelayAsync(target, "127.0.0.1", peer.Port, timeout: ClientTimeout);
        Assert.True(relayed.Ok, relayed.Output);
        Assert.Equal(ManagementFixture.RelayRealm, relayed.Realm);
        Assert.Equal(5, relayed.ChannelMessagesEchoed);

        // New password in the portal: the old one is refused, the new one works.
        await page.GetByTestId("user-row-alice").GetByTestId("user-passwd").ClickAsync();
        await Input(page, "user-password").FillAsync("second-Passw0rd");
        await page.GetByTestId("user-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-password")).ToHaveCountAsync(0);
        var old = await AioiceTurnClient.RelayAsync(target, "127.0.0.1", peer.Port, timeout: ClientTimeout);
        Assert.False(old.Ok, old.Output);
        Assert.Equal("allocate", old.Step);
        var renewed = await AioiceTurnClient.RelayAsync(target.WithPassword("second-Passw0rd"), "127.0.0.1", peer.Port, timeout: ClientTimeout);
        Assert.True(renewed.Ok, renewed.Output);

        // A live allocation (uclient leaves its allocations to expire), then disable the user in the portal.
        var uclient = await TurnutilsUclient.RunAsync(target.WithPassword("second-Passw0rd"), new UclientOptions { Messages = 5, PeerPort = peer.Port, Timeout = ClientTimeout });
        Assert.True(uclient.IsZeroLoss(5), uclient.Process.Output);
        Assert.Contains(portal.RelayState.GetSnapshot().Allocations, a => a.Username == "alice" && a.Realm == ManagementFixture.RelayRealm);

        await page.GetByTestId("user-row-alice").GetByTestId("user-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-row-alice").GetByTestId("user-toggle")).ToHaveTextAsync("Enable");

        // Revocation travels PostgreSQL NOTIFY -> credential cache -> relay control: bounded wait, not a speed assertion.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (portal.RelayState.GetSnapshot().Allocations.Any(a => a.Username == "alice") && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.DoesNotContain(portal.RelayState.GetSnapshot().Allocations, a => a.Username == "alice");
        var disabled = await AioiceTurnClient.RelayAsync(target.WithPassword("second-Passw0rd"), "127.0.0.1", peer.Port, timeout: ClientTimeout);
        Assert.False(disabled.Ok, disabled.Output);

        // The realm page counts live sessions from the relay's state: none are left for this realm's user.
        await OpenAsync(page, $"realms/{ManagementFixture.RelayRealm}");
        await Assertions.Expect(page.GetByTestId("live-sessions")).ToContainTextAsync("0 live sessions");

        // TURN REST: a secret generated in the portal and an ephemeral credential from its generator work on the relay.
        await OpenAsync(page, $"secrets/{ManagementFixture.RelayRealm}");
        await page.GetByTestId("secret-generate").ClickAsync();
        Assert.Equal(43, (await page.GetByTestId("secret-generated-value").TextContentAsync())!.Length);
        await Input(page, "ephemeral-label").FillAsync("browser-test");
        await page.GetByTestId("ephemeral-generate").ClickAsync();
        var username = await page.GetByTestId("ephemeral-username").TextContentAsync();
        var password = await page.GetByTestId("ephemeral-password").TextContentAsync();
        var json = await Input(page, "ephemeral-json").InputValueAsync();
        Assert.EndsWith(":browser-test", username, StringComparison.Ordinal);
        Assert.Contains($"turn:127.0.0.1:{portal.RelayUdpPort}?transport=udp", json, StringComparison.Ordinal);
        Assert.Contains(password!, json, StringComparison.Ordinal);
        var ephemeral = await AioiceTurnClient.RelayAsync(target with { User = username!, Password = password! }, "127.0.0.1", peer.Port, timeout: ClientTimeout);
        Assert.True(ephemeral.Ok, ephemeral.Output);

        // The audit page shows the changes; the log holds no password, key or secret.
        await OpenAsync(page, "audit");
        await Input(page, "audit-action").FillAsync("user.disable");
        await page.GetByTestId("audit-apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit-grid").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("audit-grid")).ToContainTextAsync("alice");
        var audit = await portal.Get<AuditLogQueries>().ListAsync(ManagementFixture.Setup, new AuditQuery(Realm: ManagementFixture.RelayRealm), 0, 1000, CancellationToken.None);
        Assert.Contains(audit.Items, a => a.Action == "user.passwd" && a.Admin == "admin" && a.Target == "alice");
        // Changes made on the portal's circuit record the browser's address.
        Assert.All(audit.Items.Where(a => a.Admin == "admin"), a => Assert.Equal("127.0.0.1", a.ClientAddress));
        var secret = (await portal.Get<SecretAdministration>().ListAsync(ManagementFixture.Setup, ManagementFixture.RelayRealm, CancellationToken.None)).Single().Value;
        string[] neverLogged = ["first-Passw0rd", "second-Passw0rd", secret, password!, LongTermKey.ComputeHex("alice", ManagementFixture.RelayRealm, "second-Passw0rd")];
        foreach (var row in audit.Items)
            foreach (var value in neverLogged)
                Assert.DoesNotContain(value, $"{row.Target} {row.Details}", StringComparison.Ordinal);
    }
}
