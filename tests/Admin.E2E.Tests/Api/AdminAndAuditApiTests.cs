using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Admin.Data.Administration;
using Admin.Web.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.E2E.Tests.Api;

/// <summary>/api/v1/admins (superusers only) and /api/v1/audit (filtered, paged, realm-scoped).</summary>
[Collection(ApiCollection.Name)]
public sealed class AdminAndAuditApiTests(ApiFixture api)
{
    [Fact]
    public async Task Admins_AddListResetPasswordDelete()
    {
        using var client = await api.SuperuserAsync("admins");
        var realm = ApiFixture.NewRealm("adm");
        await api.EnsureRealmAsync(realm);
        var name = "ops-" + Guid.NewGuid().ToString("N")[..8];

        var created = await client.Http.PostAsJsonAsync("api/v1/admins", new { name, password = "ops-password-1", realm });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(realm, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("realm").GetString());
        var list = await client.Http.GetFromJsonAsync<JsonElement>("api/v1/admins");
        Assert.Contains(list.EnumerateArray(), a => a.GetProperty("name").GetString() == name);
        Assert.DoesNotContain("password", list.ToString(), StringComparison.OrdinalIgnoreCase);

        await Problem.AssertAsync(await client.Http.PostAsJsonAsync("api/v1/admins", new { name, password = "ops-password-1" }), HttpStatusCode.Conflict, "Duplicate");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync("api/v1/admins", new { name = "x:y", password = "ops-password-1" }), "name");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync("api/v1/admins", new { name = "shorty", password = "short" }), "password");
        await Problem.AssertAsync(await client.Http.PostAsJsonAsync("api/v1/admins", new { name = "norealm", password = "ops-password-1", realm = ApiFixture.NewRealm("none") }),
            HttpStatusCode.NotFound, "NotFound");

        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.PutAsJsonAsync($"api/v1/admins/{name}/password", new { password = "ops-password-2" })).StatusCode);
        var accounts = api.Services.GetRequiredService<AdminAccountAdministration>();
        Assert.True((await accounts.SignInAsync(name, "ops-password-2", null, new LoginOptions().Lockout, CancellationToken.None)).Succeeded);
        Assert.False((await accounts.SignInAsync(name, "ops-password-1", null, new LoginOptions().Lockout, CancellationToken.None)).Succeeded);
        await Problem.AssertValidationAsync(await client.Http.PutAsJsonAsync($"api/v1/admins/{name}/password", new { password = "" }), "password");

        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.DeleteAsync($"api/v1/admins/{name}")).StatusCode);
        await Problem.AssertAsync(await client.Http.DeleteAsync($"api/v1/admins/{name}"), HttpStatusCode.NotFound, "NotFound");
        await Problem.AssertAsync(await client.Http.PutAsJsonAsync($"api/v1/admins/{name}/password", new { password = "ops-password-3" }), HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task Audit_FiltersAndPages_AndRecordsApiChangesWithTheAdminsName()
    {
        using var client = await api.SuperuserAsync("audit");
        var realm = ApiFixture.NewRealm("aud");
        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync("api/v1/realms", new { name = realm })).StatusCode);
        foreach (var user in new[] { "u1", "u2", "u3" })
            await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = user, password = "pw" });

        var page = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/audit?realm={realm}&take=2");
        Assert.Equal(4, page.GetProperty("totalCount").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        // Newest first, by the admin who owns the token, from the client's address.
        Assert.Equal("u3", items[0].GetProperty("target").GetString());
        Assert.Equal("admin", items[0].GetProperty("admin").GetString());
        Assert.Equal("127.0.0.1", items[0].GetProperty("clientAddress").GetString());

        var adds = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/audit?realm={realm}&action=user.add&skip=1&take=10");
        Assert.Equal(3, adds.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, adds.GetProperty("items").GetArrayLength());

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        Assert.Equal(0, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/audit?realm={realm}&from={future}")).GetProperty("totalCount").GetInt32());
        var past = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        await Problem.AssertValidationAsync(await client.Http.GetAsync($"api/v1/audit?from={future}&to={past}"), "to");
        await Problem.AssertAsync(await client.Http.GetAsync("api/v1/audit?from=yesterday"), HttpStatusCode.BadRequest, "InvalidInput");
        await Problem.AssertValidationAsync(await client.Http.GetAsync("api/v1/audit?take=0"), "take");
    }
}
