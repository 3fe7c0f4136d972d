using System.Globalization;
using Admin.Data.RelayCommands;
using Microsoft.Playwright;
using Npgsql;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Sessions;

/// <summary>
/// A real TURN client (aioice, holding an allocation and relaying ChannelData to turnutils_peer) against the whole
/// stack, watched in a real browser: the Sessions page, termination from the UI, usage rollups, and the database
/// going away and coming back.
/// </summary>
[Collection(LiveStackCollection.Name)]
public sealed class LiveSessionsTests(LiveStackFixture stack)
{
    [Fact]
    public async Task SessionsPage_RelayingClient_CountersRiseThenTerminateGives437()
    {
        using var client = await AioiceHoldSession.StartAsync(stack.Target("alice"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(60));
        Assert.True(client.IsRunning, "aioice did not get its allocation up");
        var page = await stack.SignedInPageAsync("sessions");

        await page.Locator("input[data-testid=filter-user], [data-testid=filter-user] input").First.FillAsync("alice");
        var row = page.Locator("[data-testid=session-row][data-user=alice]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("live.test");
        var allocationId = await row.GetAttributeAsync("data-allocation-id");
        Assert.False(string.IsNullOrEmpty(allocationId));

        // The page pushes new counters on its own (no reload): both directions keep rising.
        var firstIn = await ValueAsync(row, "bytes-in");
        var firstOut = await ValueAsync(row, "bytes-out");
        await Eventually.HoldsAsync(async () => await ValueAsync(row, "bytes-in") > firstIn && await ValueAsync(row, "bytes-out") > firstOut, () => "byte counters did not rise");
        Assert.True(firstIn > 0 || await ValueAsync(row, "bytes-in") > 0);

        // Details list the peer.
        await row.GetByTestId("session-details").ClickAsync();
        await Assertions.Expect(page.GetByTestId("details-permissions")).ToContainTextAsync("127.0.0.1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).First.ClickAsync();

        // The dashboard counts it live and plots the last 15 minutes.
        var dashboard = await stack.SignedInPageAsync("");
        await Assertions.Expect(dashboard.GetByTestId("live-active")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(dashboard.GetByTestId("live-in")).Not.ToHaveTextAsync("0 bit/s");
        await Assertions.Expect(dashboard.Locator(".mud-chart svg").First).ToBeAttachedAsync();
        await dashboard.Context.CloseAsync();

        // Terminate, with confirmation.
        await row.GetByTestId("terminate-allocation").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Terminate", Exact = true }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);

        var result = await client.WaitAsync();
        Assert.True(result.Ok, result.Output);
        Assert.Equal(437, result.RefreshError);
        Assert.True(result.Refreshes >= 1, result.Output);

        var rows = await stack.AuditRowsAsync(SessionTerminator.TerminateAction, allocationId!);
        Assert.True(rows.Count == 1, $"{rows.Count} audit rows for one termination");
        Assert.Equal("admin", rows[0].Admin);
        Assert.Equal(LiveStackFixture.Realm, rows[0].Realm);
        Assert.Contains("alice", rows[0].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionsPage_TerminateUser_EndsEveryAllocationOfThatUserAndNoOtherUsers()
    {
        using var first = await AioiceHoldSession.StartAsync(stack.Target("frank"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(60));
        using var second = await AioiceHoldSession.StartAsync(stack.Target("frank"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(60));
        using var bystander = await AioiceHoldSession.StartAsync(stack.Target("grace"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(60));
        Assert.True(first.IsRunning && second.IsRunning && bystander.IsRunning, "aioice did not get its allocations up");
        var page = await stack.SignedInPageAsync("sessions");
        var frank = page.Locator("[data-testid=session-row][data-user=frank]");
        var grace = page.Locator("[data-testid=session-row][data-user=grace]");
        await Assertions.Expect(frank).ToHaveCountAsync(2);
        await Assertions.Expect(grace).ToHaveCountAsync(1);

        await frank.First.GetByTestId("terminate-user").ClickAsync();
        await Assertions.Expect(page.GetByText("End all 2 live allocation(s) of frank in realm live.test?")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Terminate all", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Terminated 2 allocations of frank.")).ToBeVisibleAsync();
        await Assertions.Expect(frank).ToHaveCountAsync(0);
        await Assertions.Expect(grace).ToHaveCountAsync(1);

        // frank's clients learn at their next Refresh; grace's goes on and deletes its own allocation.
        foreach (var ended in new[] { await first.WaitAsync(), await second.WaitAsync() })
        {
            Assert.True(ended.Ok, ended.Output);
            Assert.Equal(437, ended.RefreshError);
        }
        bystander.Stop();
        var survived = await bystander.WaitAsync();
        Assert.True(survived.Ok && survived.Deleted && survived.RefreshError == 0, survived.Output);

        var rows = await stack.AuditRowsAsync(SessionTerminator.TerminateUserAction, "frank");
        Assert.True(rows.Count == 1, $"{rows.Count} audit rows for one termination");
        Assert.Equal(("admin", LiveStackFixture.Realm), (rows[0].Admin, rows[0].Realm));
        Assert.Contains("\"allocations\": 2", rows[0].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionsAndDashboard_RealmAdminOfAnotherRealm_SeeOnlyTheirRealm()
    {
        using var client = await AioiceHoldSession.StartAsync(stack.Target("erin"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(60));
        Assert.True(client.IsRunning, "aioice did not get its allocation up");
        var superuser = await stack.SignedInPageAsync("sessions");
        await Assertions.Expect(superuser.Locator("[data-testid=session-row][data-user=erin]")).ToHaveCountAsync(1);

        var realmAdmin = await stack.SignedInPageAsync("sessions", LiveStackFixture.OtherRealmAdmin, LiveStackFixture.AdminPassword);
        await Assertions.Expect(realmAdmin.GetByTestId("page-title")).ToHaveTextAsync("Sessions");
        // Several ticks go by; the other realm's allocation never reaches this admin's page (no realm filter either).
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Assertions.Expect(realmAdmin.Locator("[data-testid=session-row]")).ToHaveCountAsync(0);
        await Assertions.Expect(realmAdmin.GetByTestId("sessions-total")).ToHaveTextAsync("0");
        await Assertions.Expect(realmAdmin.GetByTestId("filter-realm")).ToHaveCountAsync(0);

        // The dashboard: live figures and configuration counts are the admin's realm's only (the fixture's other realm
        // has one user and this admin), never the server's (two realms, eight users, two admins).
        var superuserDashboard = await stack.SignedInPageAsync("");
        await Assertions.Expect(superuserDashboard.GetByTestId("live-active")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(superuserDashboard.GetByTestId("count-users")).ToHaveTextAsync("8");
        await Assertions.Expect(superuserDashboard.GetByTestId("count-admins")).ToHaveTextAsync("2");
        await superuserDashboard.Context.CloseAsync();
        var dashboard = await stack.SignedInPageAsync("", LiveStackFixture.OtherRealmAdmin, LiveStackFixture.AdminPassword);
        await Assertions.Expect(dashboard.GetByTestId("count-realms")).ToHaveTextAsync("1");
        await Assertions.Expect(dashboard.GetByTestId("count-users")).ToHaveTextAsync("1");
        await Assertions.Expect(dashboard.GetByTestId("count-secrets")).ToHaveTextAsync("0");
        await Assertions.Expect(dashboard.GetByTestId("count-admins")).ToHaveTextAsync("1");
        await Assertions.Expect(dashboard.GetByTestId("live-active")).ToHaveTextAsync("0");
        await Assertions.Expect(dashboard.GetByTestId("live-in")).ToHaveTextAsync("0 bit/s");
        await Assertions.Expect(dashboard.GetByTestId("dashboard-scope-note")).ToBeVisibleAsync();
        await Assertions.Expect(dashboard.GetByTestId("live-allocations-per-minute")).ToHaveCountAsync(0);
        await Assertions.Expect(dashboard.Locator(".mud-chart")).ToHaveCountAsync(0);
        await dashboard.Context.CloseAsync();

        client.Stop();
        Assert.True((await client.WaitAsync()).Ok);
    }

    [Fact]
    public async Task UsageRollups_ClientRelaysThenEnds_MatchTheBytesAndMessagesItSentAndReceived()
    {
        using var client = await AioiceHoldSession.StartAsync(stack.Target("carol"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(4), payloadSize: 300);
        var result = await client.WaitAsync();
        Assert.True(result.Ok, result.Output);
        Assert.True(result.Deleted, result.Output);
        Assert.True(result.BytesSent > 0 && result.BytesReceived > 0, result.Output);

        var usage = default(Usage);
        await Eventually.HoldsAsync(async () =>
        {
            usage = await UsageAsync("carol");
            return usage.BytesIn == result.BytesSent && usage.BytesOut == result.BytesReceived;
        }, () => "usage rows never matched the client's bytes");
        Assert.Equal(result.BytesSent, usage.BytesIn);
        Assert.Equal(result.BytesReceived, usage.BytesOut);
        // Packets too, including those after the last periodic sample (they come with the deletion).
        Assert.Equal(result.MessagesSent, usage.PacketsIn);
        Assert.Equal(result.MessagesEchoed, usage.PacketsOut);
        Assert.InRange(usage.Seconds, 3.0, 30.0);

        // The Usage page and its CSV export show the same figures.
        var page = await stack.SignedInPageAsync("usage");
        var usageRow = page.Locator("[data-testid=usage-row][data-user=carol]");
        await Assertions.Expect(usageRow.GetByTestId("usage-bytes-in")).ToHaveAttributeAsync("data-value", result.BytesSent.ToString(CultureInfo.InvariantCulture));
        var today = DateTime.UtcNow.Date;
        var csv = await page.APIRequest.GetAsync($"usage/export.csv?from={today:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}&resolution=day");
        Assert.Equal(200, csv.Status);
        var text = await csv.TextAsync();
        Assert.StartsWith("period_start,realm,user,bytes_in,bytes_out", text, StringComparison.Ordinal);
        Assert.Contains($",live.test,carol,{result.BytesSent},{result.BytesReceived},", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseGoesAway_NotReady_LiveViewKeepsWorking_UsageCatchesUpWithoutLoss()
    {
        using var http = new HttpClient { BaseAddress = stack.BaseAddress };
        Assert.Equal(200, (int)(await http.GetAsync("readyz")).StatusCode);
        // No Refresh during the outage: this test is about the live view and usage (Relay/DatabaseOutageTests covers Refresh).
        using var client = await AioiceHoldSession.StartAsync(stack.Target("dave"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(60),
            refreshInterval: TimeSpan.FromSeconds(300));
        var page = await stack.SignedInPageAsync("sessions");
        var row = page.Locator("[data-testid=session-row][data-user=dave]");
        await Assertions.Expect(row).ToHaveCountAsync(1);

        await stack.Database.SetReachableAsync(false);
        try
        {
            await Eventually.HoldsAsync(async () => (int)(await http.GetAsync("readyz")).StatusCode == 503, () => "/readyz stayed ready without a database");
            var body = await (await http.GetAsync("readyz")).Content.ReadAsStringAsync();
            Assert.Contains("database: Unhealthy", body, StringComparison.Ordinal);
            Assert.Contains("relay-listeners: Healthy", body, StringComparison.Ordinal);

            // The open Sessions page keeps updating from the relay while PostgreSQL is away, also past the circuit's
            // 30-second sign-in re-check (which cannot reach the database).
            var outage = System.Diagnostics.Stopwatch.StartNew();
            var before = await ValueAsync(row, "bytes-in");
            await Eventually.HoldsAsync(async () => await ValueAsync(row, "bytes-in") > before, () => "live view stopped while the database was away");
            await Task.Delay(TimeSpan.FromSeconds(33) - outage.Elapsed);
            before = await ValueAsync(row, "bytes-in");
            await Eventually.HoldsAsync(async () => await ValueAsync(row, "bytes-in") > before, () => "live view stopped after the sign-in re-check during the outage");
            await Assertions.Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Sessions");
        }
        finally
        {
            await stack.Database.SetReachableAsync(true);
        }

        await Eventually.HoldsAsync(async () => (int)(await http.GetAsync("readyz")).StatusCode == 200, () => "/readyz did not recover");
        client.Stop();
        var result = await client.WaitAsync();
        Assert.True(result.Ok && result.Deleted, result.Output);
        var usage = default(Usage);
        await Eventually.HoldsAsync(async () =>
        {
            usage = await UsageAsync("dave");
            return usage.BytesIn == result.BytesSent && usage.BytesOut == result.BytesReceived;
        }, () => "usage after the outage does not match the client's bytes");
        Assert.Equal(result.BytesSent, usage.BytesIn);
        Assert.Equal(result.BytesReceived, usage.BytesOut);
    }

    private readonly record struct Usage(long BytesIn, long BytesOut, long PacketsIn, long PacketsOut, double Seconds);

    private async Task<Usage> UsageAsync(string user)
    {
        // Unpooled: the outage test kills every connection to the database, pooled idle ones included.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(stack.Database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT coalesce(sum(bytes_in), 0)::bigint, coalesce(sum(bytes_out), 0)::bigint, coalesce(sum(packets_in), 0)::bigint,
                   coalesce(sum(packets_out), 0)::bigint, coalesce(sum(allocation_seconds), 0)
            FROM turnstone_usage_minute WHERE realm = $1 AND name = $2
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = LiveStackFixture.Realm });
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Usage(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDouble(4));
    }

    private static async Task<long> ValueAsync(ILocator row, string cell) =>
        long.Parse(await row.GetByTestId(cell).GetAttributeAsync("data-value") ?? "0", CultureInfo.InvariantCulture);
}
