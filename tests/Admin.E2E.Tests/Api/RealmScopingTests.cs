using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Admin.E2E.Tests.Api;

/// <summary>A realm admin's token carries the admin's scope: their realm only, no admins, no global rules.</summary>
[Collection(ApiCollection.Name)]
public sealed class RealmScopingTests(ApiFixture api)
{
    [Fact]
    public async Task RealmAdminToken_ManagesOwnRealmOnly()
    {
        var own = ApiFixture.NewRealm("own");
        var other = ApiFixture.NewRealm("other");
        await api.EnsureRealmAsync(other);
        using var superuser = await api.SuperuserAsync("scoping");
        Assert.Equal(HttpStatusCode.Created, (await superuser.Http.PostAsJsonAsync($"api/v1/realms/{other}/users", new { name = "victim", password = "pw" })).StatusCode);
        using var client = await api.RealmAdminAsync(own);

        var me = await client.Http.GetFromJsonAsync<JsonElement>("api/v1/whoami");
        Assert.Equal(own, me.GetProperty("realm").GetString());
        Assert.False(me.GetProperty("superuser").GetBoolean());

        // Own realm: allowed.
        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync($"api/v1/realms/{own}/users", new { name = "mine", password = "pw" })).StatusCode);
        Assert.Equal(1, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{own}/users")).GetProperty("totalCount").GetInt32());
        var realms = await client.Http.GetFromJsonAsync<JsonElement>("api/v1/realms");
        Assert.Equal(new[] { own }, realms.EnumerateArray().Select(r => r.GetProperty("name").GetString()));

        // Another realm's users, by any route: refused, and nothing changes.
        await Forbidden(client.Http.GetAsync($"api/v1/realms/{other}/users"));
        await Forbidden(client.Http.GetAsync($"api/v1/realms/{other}/users/victim"));
        await Forbidden(client.Http.GetAsync($"api/v1/realms/{other}/users/victim/key"));
        await Forbidden(client.Http.DeleteAsync($"api/v1/realms/{other}/users/victim"));
        await Forbidden(client.Http.PostAsync($"api/v1/realms/{other}/users/victim/disable", null));
        await Forbidden(client.Http.PutAsJsonAsync($"api/v1/realms/{other}/users/victim/password", new { password = "owned" }));
        await Forbidden(client.Http.PostAsJsonAsync($"api/v1/realms/{other}/users", new { name = "intruder", password = "pw" }));
        await Forbidden(client.Http.PostAsync($"api/v1/realms/{other}/users.csv", new StringContent("user,password\nx,y\n", System.Text.Encoding.UTF8, "text/csv")));
        await Forbidden(client.Http.GetAsync($"api/v1/realms/{other}/users.csv"));
        await Forbidden(client.Http.GetAsync($"api/v1/realms/{other}"));
        await Forbidden(client.Http.GetAsync($"api/v1/realms/{other}/secrets"));
        await Forbidden(client.Http.PostAsync($"api/v1/realms/{other}/secrets/generate", null));
        await Forbidden(client.Http.PostAsync($"api/v1/realms/{other}/ice-servers", null));
        await Forbidden(client.Http.GetAsync($"api/v1/audit?realm={other}"));
        var victim = await superuser.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{other}/users/victim");
        Assert.False(victim.GetProperty("disabled").GetBoolean());
        Assert.Equal(1, (await superuser.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{other}/users")).GetProperty("totalCount").GetInt32());

        // Superuser-only operations.
        await Forbidden(client.Http.GetAsync("api/v1/admins"));
        await Forbidden(client.Http.PostAsJsonAsync("api/v1/admins", new { name = "escalate", password = "escalate-pw" }));
        await Forbidden(client.Http.PutAsJsonAsync("api/v1/admins/admin/password", new { password = "taken-over" }));
        await Forbidden(client.Http.DeleteAsync("api/v1/admins/admin"));
        await Forbidden(client.Http.PostAsJsonAsync("api/v1/realms", new { name = ApiFixture.NewRealm("new") }));
        await Forbidden(client.Http.DeleteAsync($"api/v1/realms/{own}"));
        await Forbidden(client.Http.PostAsJsonAsync("api/v1/peer-rules", new { kind = "allow", range = "0.0.0.0/0" }));

        // The audit log shows their realm's rows only.
        var audit = await client.Http.GetFromJsonAsync<JsonElement>("api/v1/audit?take=1000");
        Assert.All(audit.GetProperty("items").EnumerateArray(), row => Assert.Equal(own, row.GetProperty("realm").GetString()));
    }

    private static async Task Forbidden(Task<HttpResponseMessage> call) =>
        await Problem.AssertAsync(await call, HttpStatusCode.Forbidden, "Forbidden");
}
