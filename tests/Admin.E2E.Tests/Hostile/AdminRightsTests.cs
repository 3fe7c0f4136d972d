using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// The limits of a realm admin's rights (issue 13): their API token adds allow rules for loopback, the cloud
/// metadata address and a range a superuser denied, for their own realm. Either the API refuses the rules or the
/// relay ignores them: a user of that realm can never get a permission to those peers, nor reach a loopback echo.
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", HostileCollection.Category)]
public sealed class AdminRightsTests(HostileServerFixture fixture, ITestOutputHelper output)
{
    private const string Loopback = "127.0.0.1";
    private const string Metadata = "169.254.169.254";

    /// <summary>TEST-NET-2, denied by the superuser's global rule.</summary>
    private const string GloballyDenied = "198.51.100.7";

    /// <summary>TEST-NET-3: allowed by default, denied by the realm admin's own rule (proves their rules reach the relay).</summary>
    private const string DeniedByRealmAdmin = "203.0.113.5";

    private static readonly TimeSpan PropagationLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RealmAdminAllowRules_ForLoopbackMetadataAndGlobalDenials_NeverOpenThosePeers()
    {
        var server = fixture.Server;
        using var superuser = await TokenClientAsync("admin");
        Assert.Equal(HttpStatusCode.Created, (await superuser.PostAsJsonAsync("api/v1/peer-rules", new { kind = "deny", range = "198.51.100.0/24" })).StatusCode);

        var realmAdmin = "ra-" + Guid.NewGuid().ToString("N")[..8];
        await server.Cli.RunOkAsync("admin", "add", "--user", realmAdmin, "--password", "hostile-RealmAdmin-Passw0rd", "--realm", ServedTurnstone.Realm);
        using var client = await TokenClientAsync(realmAdmin);
        var rules = $"api/v1/realms/{ServedTurnstone.Realm}/peer-rules";

        // The realm admin's own deny rule reaches the relay: the control that their rules are read at all.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(rules, new { kind = "deny", range = "203.0.113.0/24" })).StatusCode);
        var target = server.Target(ClientTransport.Udp);
        var deadline = DateTime.UtcNow + PropagationLimit;
        while ((await AioiceTurnClient.TryPeersAsync(target, [DeniedByRealmAdmin])).Peers.Single().CreatePermission != 403)
        {
            Assert.True(DateTime.UtcNow < deadline, "The realm admin's deny rule never reached the relay.");
            await Task.Delay(500);
        }

        var answers = new List<string>();
        foreach (var range in new[] { "127.0.0.0/8", "169.254.169.254/32", "198.51.100.7/32" })
        {
            var response = await client.PostAsJsonAsync(rules, new { kind = "allow", range });
            answers.Add($"allow {range}: {(int)response.StatusCode}");
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // as long as the deny rule took, and more

        var tried = await AioiceTurnClient.TryPeersAsync(target, [Loopback, Metadata, GloballyDenied]);
        await using var echo = await TurnutilsPeer.StartAsync();
        var relayed = await AioiceTurnClient.RelayAsync(target, Loopback, echo.Port, channelMessages: 1, timeout: TimeSpan.FromSeconds(8));
        FiguresLog.Write(output, "admin rights",
            $"[admin rights] API: {string.Join("; ", answers)}. Relay: " +
            string.Join("; ", tried.Peers.Select(p => $"{p.Peer} CreatePermission {p.CreatePermission}, ChannelBind {p.ChannelBind}")) +
            $"; relay to a loopback echo: permission {relayed.PermissionCreated}, echoed {relayed.DataIndicationEchoed || relayed.ChannelMessagesEchoed > 0}");

        Assert.True(tried.Ok, $"The realm's user could not allocate: {tried.Output}");
        Assert.All(tried.Peers, p =>
        {
            Assert.Equal(403, p.CreatePermission);
            Assert.Equal(403, p.ChannelBind);
        });
        Assert.False(relayed.PermissionCreated, $"A loopback echo was reachable: {relayed.Output}");
        Assert.False(relayed.DataIndicationEchoed || relayed.ChannelMessagesEchoed > 0, "Bytes came back from a loopback peer.");
    }

    private async Task<HttpClient> TokenClientAsync(string admin)
    {
        var token = (await fixture.Server.Cli.RunOkAsync("token", "add", "--user", admin, "--label", "hostile suite"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
