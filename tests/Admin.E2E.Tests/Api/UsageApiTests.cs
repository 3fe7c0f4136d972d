using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Admin.Data.Entities;
using Admin.Data.Exports;
using Admin.Data.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.E2E.Tests.Api;

/// <summary>
/// GET /api/v1/usage and /usage/credentials, and /usage/export.csv with an API token, over real usage rows in
/// PostgreSQL: TURN REST credentials grouped by user part beside long-term users, realm totals, node filter,
/// resolutions and realm scoping.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class UsageApiTests(ApiFixture api)
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private async Task<string> SeedAsync()
    {
        var realm = "usage-" + Guid.NewGuid().ToString("N")[..8] + ".test";
        await api.EnsureRealmAsync(realm);
        await api.Services.GetRequiredService<UsageRollups>().WriteAsync(
        [
            Row(realm, "node-a", "1796635831:webrtc-ts@" + realm, Hour.AddMinutes(1), 1000, 2000),
            Row(realm, "node-b", "1796635999:webrtc-ts", Hour.AddMinutes(61), 10, 20),
            Row(realm, "node-a", "carol", Hour.AddMinutes(2), 5, 6),
        ], CancellationToken.None);
        return realm;
    }

    [Fact]
    public async Task Usage_GroupsRestCredentials_TotalsPerRealm_NodeFilter_Resolutions_Credentials()
    {
        var realm = await SeedAsync();
        using var client = await api.SuperuserAsync("usage");
        var range = $"from=2026-11-30&to=2026-12-01&realm={realm}";

        var body = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/usage?{range}&resolution=hour");
        Assert.Equal("B", body.GetProperty("unit").GetString());
        Assert.Equal("hour", body.GetProperty("resolution").GetString());
        var users = body.GetProperty("users").EnumerateArray().Select(u => (u.GetProperty("user").GetString(), u.GetProperty("credentials").GetInt32(),
            u.GetProperty("restCredentials").GetInt32(), u.GetProperty("bytesIn").GetInt64(), u.GetProperty("bytesOut").GetInt64())).ToList();
        Assert.Equal([("webrtc-ts", 2, 2, 1010L, 2020L), ("carol", 1, 0, 5L, 6L)], users);
        var realms = body.GetProperty("realms").EnumerateArray().ToList();
        Assert.Equal((realm, 1015L, 2026L), (realms.Single().GetProperty("realm").GetString(), realms.Single().GetProperty("bytesIn").GetInt64(), realms.Single().GetProperty("bytesOut").GetInt64()));
        Assert.Equal(2, body.GetProperty("series").GetArrayLength());

        // The page's default resolution for one day is hours; minutes when asked.
        Assert.Equal("hour", (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/usage?{range}")).GetProperty("resolution").GetString());
        var minutes = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/usage?{range}&resolution=minute");
        Assert.Equal(3, minutes.GetProperty("series").GetArrayLength());

        var nodeB = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/usage?{range}&node=node-b");
        Assert.Equal(10, nodeB.GetProperty("realms")[0].GetProperty("bytesIn").GetInt64());

        var names = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/usage/credentials?{range}&user=webrtc-ts");
        Assert.Equal(["1796635831:webrtc-ts@" + realm, "1796635999:webrtc-ts"], names.EnumerateArray().Select(n => n.GetProperty("username").GetString()));

        var bad = await client.Http.GetAsync($"api/v1/usage?{range}&resolution=week");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Http.GetAsync("api/v1/usage?from=2026-12-01&to=2026-11-01")).StatusCode);
    }

    [Fact]
    public async Task Usage_RealmAdminToken_SeesOwnRealmOnly()
    {
        var realm = await SeedAsync();
        var other = await SeedAsync();
        using var admin = await api.RealmAdminAsync(realm);

        var own = await admin.Http.GetFromJsonAsync<JsonElement>("api/v1/usage?from=2026-11-30&to=2026-12-01");
        Assert.Equal([realm], own.GetProperty("realms").EnumerateArray().Select(r => r.GetProperty("realm").GetString()));
        Assert.All(own.GetProperty("users").EnumerateArray(), u => Assert.Equal(realm, u.GetProperty("realm").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Http.GetAsync($"api/v1/usage?from=2026-11-30&to=2026-12-01&realm={other}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Http.GetAsync($"api/v1/usage/credentials?from=2026-11-30&to=2026-12-01&realm={other}&user=carol")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Http.GetAsync($"usage/export.csv?from=2026-11-30&to=2026-12-01&realm={other}")).StatusCode);
    }

    [Fact]
    public async Task ExportCsv_WithApiToken_GivesUserAndUsername_WithoutOne_RedirectsOrRefuses()
    {
        var realm = await SeedAsync();
        using var client = await api.SuperuserAsync("csv");

        var response = await client.Http.GetAsync($"usage/export.csv?from=2026-11-30&to=2026-12-01&realm={realm}&resolution=day");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(UsageCsv.Header, lines[0]);
        Assert.Equal(
        [
            $"2026-11-30T00:00:00Z,{realm},carol,5,6,1,1,60,carol",
            $"2026-11-30T00:00:00Z,{realm},webrtc-ts,1000,2000,1,1,60,1796635831:webrtc-ts@{realm}",
            $"2026-11-30T00:00:00Z,{realm},webrtc-ts,10,20,1,1,60,1796635999:webrtc-ts",
        ], lines[1..]);
        var nodeA = await client.Http.GetStringAsync($"usage/export.csv?from=2026-11-30&to=2026-12-01&realm={realm}&node=node-a");
        Assert.DoesNotContain("1796635999", nodeA, StringComparison.Ordinal);

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.BaseAddress };
        var redirect = await anonymous.GetAsync("usage/export.csv?from=2026-11-30&to=2026-12-01");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Contains("/login", redirect.Headers.Location?.ToString(), StringComparison.Ordinal);
        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "tst_not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("usage/export.csv?from=2026-11-30&to=2026-12-01")).StatusCode);
    }

    private static UsageMinute Row(string realm, string node, string name, DateTimeOffset minute, long bytesIn, long bytesOut) => new()
    {
        Minute = minute, Node = node, Realm = realm, Name = name,
        BytesIn = bytesIn, BytesOut = bytesOut, PacketsIn = 1, PacketsOut = 1, AllocationSeconds = 60,
    };
}
