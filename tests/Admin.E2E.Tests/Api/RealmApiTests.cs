using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Admin.E2E.Tests.Api;

/// <summary>/api/v1/realms: add, list, get, update description (with concurrency), options, origins, impact, delete.</summary>
[Collection(ApiCollection.Name)]
public sealed class RealmApiTests(ApiFixture api)
{
    [Fact]
    public async Task Realm_AddGetListUpdateDelete_RoundTrips()
    {
        using var client = await api.SuperuserAsync("realms");
        var name = ApiFixture.NewRealm("crud");

        var created = await client.Http.PostAsJsonAsync("api/v1/realms", new { name, description = "first" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/realms/{name}", created.Headers.Location?.OriginalString);
        var realm = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("first", realm.GetProperty("description").GetString());

        var list = await client.Http.GetFromJsonAsync<JsonElement>("api/v1/realms");
        Assert.Contains(list.EnumerateArray(), r => r.GetProperty("name").GetString() == name);

        var got = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{name}");
        var version = got.GetProperty("version").GetUInt32();
        var updated = await client.Http.PutAsJsonAsync($"api/v1/realms/{name}", new { description = "second", version });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("second", (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("description").GetString());

        // The version read before the update is stale now: the later writer is told, nothing is lost.
        var stale = await client.Http.PutAsJsonAsync($"api/v1/realms/{name}", new { description = "third", version });
        await Problem.AssertAsync(stale, HttpStatusCode.Conflict, "Conflict");
        Assert.Equal("second", (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{name}")).GetProperty("description").GetString());

        await client.Http.PostAsJsonAsync($"api/v1/realms/{name}/users", new { name = "alice", password = "pw-alice" });
        var impact = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{name}/impact");
        Assert.Equal(1, impact.GetProperty("users").GetInt32());

        var deleted = await client.Http.DeleteAsync($"api/v1/realms/{name}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(1, (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("users").GetInt32());
        await Problem.AssertAsync(await client.Http.GetAsync($"api/v1/realms/{name}"), HttpStatusCode.NotFound, "NotFound");
        await Problem.AssertAsync(await client.Http.DeleteAsync($"api/v1/realms/{name}"), HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task Realm_InvalidNameOrDuplicate_IsProblemAndNothingSaved()
    {
        using var client = await api.SuperuserAsync("realm validation");
        var bad = await client.Http.PostAsJsonAsync("api/v1/realms", new { name = "Bad_Realm!" });
        await Problem.AssertValidationAsync(bad, "realm");
        var list = await client.Http.GetFromJsonAsync<JsonElement>("api/v1/realms");
        Assert.DoesNotContain(list.EnumerateArray(), r => r.GetProperty("name").GetString() == "Bad_Realm!");

        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync("api/v1/realms", new { description = "no name" }), "realm");

        var name = ApiFixture.NewRealm("dup");
        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync("api/v1/realms", new { name })).StatusCode);
        await Problem.AssertAsync(await client.Http.PostAsJsonAsync("api/v1/realms", new { name }), HttpStatusCode.Conflict, "Duplicate");
    }

    [Fact]
    public async Task RealmOptions_SetReadAndClear()
    {
        using var client = await api.SuperuserAsync("options");
        var name = ApiFixture.NewRealm("opts");
        await api.EnsureRealmAsync(name);

        var empty = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{name}/options");
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("userQuota").ValueKind);

        var set = await client.Http.PutAsJsonAsync($"api/v1/realms/{name}/options", new { userQuota = 3, totalQuota = 100, maxBitsPerSecond = 2_000_000L });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var read = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{name}/options");
        Assert.Equal(3, read.GetProperty("userQuota").GetInt32());
        Assert.Equal(100, read.GetProperty("totalQuota").GetInt32());
        Assert.Equal(2_000_000L, read.GetProperty("maxBitsPerSecond").GetInt64());

        await Problem.AssertValidationAsync(
            await client.Http.PutAsJsonAsync($"api/v1/realms/{name}/options", new { userQuota = -1 }), "userQuota");
        Assert.Equal(3, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{name}/options")).GetProperty("userQuota").GetInt32());

        await client.Http.PutAsJsonAsync($"api/v1/realms/{name}/options", new { userQuota = (int?)null });
        Assert.Equal(JsonValueKind.Null, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{name}/options")).GetProperty("userQuota").ValueKind);
        await Problem.AssertAsync(await client.Http.GetAsync($"api/v1/realms/{ApiFixture.NewRealm("none")}/options"), HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task RealmOrigins_AddListRemove()
    {
        using var client = await api.SuperuserAsync("origins");
        var name = ApiFixture.NewRealm("orig");
        await api.EnsureRealmAsync(name);
        var origin = $"https://{Guid.NewGuid():N}.example.org";

        var created = await client.Http.PostAsJsonAsync($"api/v1/realms/{name}/origins", new { origin });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        // Stored as coturn stores it: the scheme's default port written out.
        Assert.Equal(origin + ":443", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("origin").GetString());
        Assert.Contains(origin + ":443", await client.Http.GetFromJsonAsync<string[]>($"api/v1/realms/{name}/origins") ?? []);
        await Problem.AssertAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{name}/origins", new { origin }), HttpStatusCode.Conflict, "Duplicate");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{name}/origins", new { origin = "not an origin" }), "origin");

        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.DeleteAsync($"api/v1/realms/{name}/origins?origin={Uri.EscapeDataString(origin)}")).StatusCode);
        Assert.Empty(await client.Http.GetFromJsonAsync<string[]>($"api/v1/realms/{name}/origins") ?? ["?"]);
        await Problem.AssertAsync(await client.Http.DeleteAsync($"api/v1/realms/{name}/origins?origin={Uri.EscapeDataString(origin)}"), HttpStatusCode.NotFound, "NotFound");
        await Problem.AssertValidationAsync(await client.Http.DeleteAsync($"api/v1/realms/{name}/origins"), "origin");
    }

    [Fact]
    public async Task RealmHostNames_AddListRemove_NeverTwoRealms()
    {
        using var client = await api.SuperuserAsync("host names");
        var name = ApiFixture.NewRealm("host");
        var other = ApiFixture.NewRealm("host2");
        await api.EnsureRealmAsync(name);
        await api.EnsureRealmAsync(other);
        var host = $"Turn.{name}.";

        var created = await client.Http.PostAsJsonAsync($"api/v1/realms/{name}/host-names", new { hostName = host });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"turn.{name}", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hostName").GetString());
        Assert.Equal([$"turn.{name}"], await client.Http.GetFromJsonAsync<string[]>($"api/v1/realms/{name}/host-names") ?? []);
        await Problem.AssertAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{other}/host-names", new { hostName = host }), HttpStatusCode.Conflict, "Duplicate");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{name}/host-names", new { hostName = "*.example.org" }), "hostName");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{name}/host-names", new { hostName = "192.0.2.1" }), "hostName");

        // A realm admin of the other realm cannot remove it or list it.
        using var realmAdmin = await api.RealmAdminAsync(other);
        await Problem.AssertAsync(await realmAdmin.Http.DeleteAsync($"api/v1/realms/{name}/host-names?hostName=turn.{name}"), HttpStatusCode.Forbidden, "Forbidden");
        await Problem.AssertAsync(await realmAdmin.Http.GetAsync($"api/v1/realms/{name}/host-names"), HttpStatusCode.Forbidden, "Forbidden");

        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.DeleteAsync($"api/v1/realms/{name}/host-names?hostName=turn.{name}")).StatusCode);
        Assert.Empty(await client.Http.GetFromJsonAsync<string[]>($"api/v1/realms/{name}/host-names") ?? ["?"]);
        await Problem.AssertAsync(await client.Http.DeleteAsync($"api/v1/realms/{name}/host-names?hostName=turn.{name}"), HttpStatusCode.NotFound, "NotFound");
        await Problem.AssertValidationAsync(await client.Http.DeleteAsync($"api/v1/realms/{name}/host-names"), "hostName");
    }
}
