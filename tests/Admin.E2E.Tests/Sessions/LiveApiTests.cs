using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Admin.E2E.Tests.Api;
using Admin.Data.RelayCommands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Turn.Relay.Seams;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Sessions;

/// <summary>
/// The JSON API's live sessions and drain, against the whole stack with real TURN clients (aioice): listing and
/// ending allocations with realm scoping, and draining the relay from the Dashboard (new allocations get 508, live
/// ones run on, /readyz is not ready) until the API resumes it.
/// </summary>
[Collection(LiveStackCollection.Name)]
public sealed class LiveApiTests(LiveStackFixture stack)
{
    [Fact]
    public async Task SessionsApi_ListsLiveAllocations_ScopedToTheRealm_AndEndsThem()
    {
        using var superuser = await stack.ApiClientAsync("admin");
        using var otherRealmAdmin = await stack.ApiClientAsync(LiveStackFixture.OtherRealmAdmin);
        using var client = await AioiceHoldSession.StartAsync(stack.Target("grace"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(60));
        Assert.True(client.IsRunning, "aioice did not get its allocation up");

        // The list is the relay's per-second snapshot: it shows the allocation within a tick or two.
        JsonElement session = default;
        await Eventually.HoldsAsync(async () =>
        {
            var page = await superuser.GetFromJsonAsync<JsonElement>("api/v1/sessions?user=grace");
            if (page.GetProperty("totalCount").GetInt32() != 1) return false;
            session = page.GetProperty("items")[0];
            return session.GetProperty("bytesFromClient").GetInt64() > 0;
        }, () => "the sessions API never listed grace's allocation with traffic");
        Assert.Equal(LiveStackFixture.Realm, session.GetProperty("realm").GetString());
        Assert.Equal("udp", session.GetProperty("transport").GetString());
        Assert.StartsWith("127.0.0.1:", session.GetProperty("relayed").GetString());
        Assert.Contains(session.GetProperty("permissions").EnumerateArray(), p => p.GetProperty("peer").GetString() == "127.0.0.1");
        var id = session.GetProperty("id").GetString()!;

        Assert.Matches(@"^127\.0\.0\.1:\d+$", session.GetProperty("client").GetString());

        // Another realm's admin neither sees it nor may end it; its id is answered like an unknown one.
        var theirs = await otherRealmAdmin.GetFromJsonAsync<JsonElement>("api/v1/sessions?user=grace");
        Assert.Equal(0, theirs.GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await otherRealmAdmin.GetFromJsonAsync<JsonElement>("api/v1/relay")).GetProperty("liveAllocations").GetInt32());
        Assert.True((await superuser.GetFromJsonAsync<JsonElement>("api/v1/relay")).GetProperty("liveAllocations").GetInt32() >= 1);
        await Problem.AssertAsync(await otherRealmAdmin.DeleteAsync($"api/v1/sessions/{id}"), HttpStatusCode.NotFound, "NotFound");
        await Problem.AssertAsync(await otherRealmAdmin.DeleteAsync($"api/v1/realms/{LiveStackFixture.Realm}/users/grace/sessions"), HttpStatusCode.Forbidden, "Forbidden");
        await Problem.AssertValidationAsync(await superuser.GetAsync("api/v1/sessions?take=501"), "take");
        await Problem.AssertValidationAsync(await superuser.GetAsync("api/v1/sessions?take=0"), "take");
        await Problem.AssertValidationAsync(await superuser.GetAsync("api/v1/sessions?skip=-1"), "skip");

        var ended = await superuser.DeleteAsync($"api/v1/sessions/{id}");
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var result = await ended.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, result.GetProperty("terminated").GetInt32());
        Assert.True(result.GetProperty("audited").GetBoolean());
        var held = await client.WaitAsync();
        Assert.True(held.Ok, held.Output);
        Assert.Equal(437, held.RefreshError);
        await Problem.AssertAsync(await superuser.DeleteAsync($"api/v1/sessions/{id}"), HttpStatusCode.NotFound, "NotFound");
        var none = await (await superuser.DeleteAsync($"api/v1/realms/{LiveStackFixture.Realm}/users/grace/sessions")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, none.GetProperty("terminated").GetInt32());
    }

    [Fact]
    public async Task Drain_FromTheDashboard_Refuses508_LiveSessionRunsOn_NotReady_UntilTheApiResumes()
    {
        var control = stack.Services.GetRequiredService<IRelayControl>();
        using var superuser = await stack.ApiClientAsync("admin");
        using var otherRealmAdmin = await stack.ApiClientAsync(LiveStackFixture.OtherRealmAdmin);
        using var anonymous = new HttpClient { BaseAddress = stack.BaseAddress };
        using var live = await AioiceHoldSession.StartAsync(stack.Target("frank"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(60));
        Assert.True(live.IsRunning, "aioice did not get its allocation up");
        try
        {
            // Only a superuser may drain: it concerns every realm.
            await Problem.AssertAsync(await otherRealmAdmin.PostAsync("api/v1/relay/drain", null), HttpStatusCode.Forbidden, "Forbidden");
            Assert.False(control.IsDraining);
            // Resuming what does not drain changes nothing and writes no audit row.
            var noop = await (await superuser.DeleteAsync("api/v1/relay/drain")).Content.ReadFromJsonAsync<JsonElement>();
            Assert.False(noop.GetProperty("draining").GetBoolean());
            Assert.Equal(JsonValueKind.Null, noop.GetProperty("audited").ValueKind);

            var dashboard = await stack.SignedInPageAsync("");
            await dashboard.GetByTestId("relay-drain").ClickAsync();
            await Assertions.Expect(dashboard.GetByRole(AriaRole.Dialog)).ToContainTextAsync("live allocations run on until they end");
            await dashboard.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Drain", Exact = true }).ClickAsync();
            await Assertions.Expect(dashboard.GetByTestId("relay-draining")).ToBeVisibleAsync();
            await Assertions.Expect(dashboard.GetByTestId("relay-resume")).ToBeVisibleAsync();

            var status = await superuser.GetFromJsonAsync<JsonElement>("api/v1/relay");
            Assert.True(status.GetProperty("draining").GetBoolean());
            await Problem.AssertAsync(await otherRealmAdmin.DeleteAsync("api/v1/relay/drain"), HttpStatusCode.Forbidden, "Forbidden");
            var ready = await anonymous.GetAsync("readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("relay-draining: Unhealthy", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // A new client is refused with 508; the live one keeps relaying and refreshing.
            var refused = await AioiceTurnClient.RelayAsync(stack.Target("grace"), "127.0.0.1", stack.Peer.Port, channelMessages: 1, timeout: TimeSpan.FromSeconds(20));
            Assert.False(refused.Ok, refused.Output);
            Assert.Equal("allocate", refused.Step);
            Assert.Equal(508, refused.ErrorCode);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.True(live.IsRunning, "the live session ended while the relay drained");

            var resumed = await superuser.DeleteAsync("api/v1/relay/drain");
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            var resumedBody = await resumed.Content.ReadFromJsonAsync<JsonElement>();
            Assert.False(resumedBody.GetProperty("draining").GetBoolean());
            Assert.True(resumedBody.GetProperty("audited").GetBoolean());
            await Assertions.Expect(dashboard.GetByTestId("relay-draining")).ToHaveCountAsync(0);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("readyz")).StatusCode);
            var accepted = await AioiceTurnClient.RelayAsync(stack.Target("grace"), "127.0.0.1", stack.Peer.Port, channelMessages: 1, timeout: TimeSpan.FromSeconds(20));
            Assert.True(accepted.Ok, accepted.Output);

            live.Stop();
            var held = await live.WaitAsync();
            Assert.True(held.Ok && held.Deleted && held.RefreshError == 0, held.Output);
            Assert.True(held.Refreshes >= 2, held.Output);
        }
        finally
        {
            // Never leave the shared relay draining for the other tests.
            control.Resume();
        }

        // One row each (the no-op resume wrote none), drain first, both by the bootstrap superuser, server-wide (no realm).
        var drained = Assert.Single(await stack.AuditRowsAsync(RelayDrain.DrainAction, "relay"));
        var resumedRow = Assert.Single(await stack.AuditRowsAsync(RelayDrain.ResumeAction, "relay"));
        Assert.True(drained.Id < resumedRow.Id);
        Assert.Equal(("admin", "admin"), (drained.Admin, resumedRow.Admin));
        Assert.Equal((null, null), (drained.Realm, resumedRow.Realm));
    }
}
