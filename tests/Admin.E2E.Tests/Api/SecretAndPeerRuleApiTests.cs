using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Admin.E2E.Tests.Api;

/// <summary>/api/v1/realms/{realm}/secrets and the global and per-realm /peer-rules.</summary>
[Collection(ApiCollection.Name)]
public sealed class SecretAndPeerRuleApiTests(ApiFixture api)
{
    [Fact]
    public async Task Secrets_AddGenerateListDelete()
    {
        using var client = await api.SuperuserAsync("secrets");
        var realm = ApiFixture.NewRealm("sec");
        await api.EnsureRealmAsync(realm);

        var added = await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/secrets", new { value = "a-shared-secret-of-some-length" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var addedBody = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("a-shared-secret-of-some-length", addedBody.GetProperty("value").GetString());
        var generated = await (await client.Http.PostAsync($"api/v1/realms/{realm}/secrets/generate", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(43, generated.GetProperty("value").GetString()!.Length);

        var list = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/secrets");
        Assert.Equal(2, list.GetArrayLength());
        // Lists name secrets by fingerprint only.
        Assert.All(list.EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("value").ValueKind));
        Assert.DoesNotContain("a-shared-secret-of-some-length", list.ToString());

        await Problem.AssertAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/secrets", new { value = "a-shared-secret-of-some-length" }),
            HttpStatusCode.Conflict, "Duplicate");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/secrets", new { value = "" }), "secret");

        var fingerprint = addedBody.GetProperty("fingerprint").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.DeleteAsync($"api/v1/realms/{realm}/secrets/{fingerprint}")).StatusCode);
        Assert.Equal(1, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/secrets")).GetArrayLength());
        await Problem.AssertAsync(await client.Http.DeleteAsync($"api/v1/realms/{realm}/secrets/{fingerprint}"), HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task PeerRules_GlobalAndPerRealm_AddListDelete()
    {
        using var client = await api.SuperuserAsync("peer rules");
        var realm = ApiFixture.NewRealm("peer");
        await api.EnsureRealmAsync(realm);
        // A global range no other test uses.
        var octet = Random.Shared.Next(1, 254);
        var globalRange = $"198.51.{octet}.0/24";

        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync("api/v1/peer-rules", new { kind = "deny", range = globalRange })).StatusCode);
        Assert.Contains((await client.Http.GetFromJsonAsync<JsonElement>("api/v1/peer-rules")).EnumerateArray(),
            r => r.GetProperty("range").GetString() == globalRange && r.GetProperty("kind").GetString() == "deny" && r.GetProperty("realm").GetString() == "");

        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/peer-rules", new { kind = "allow", range = "10.0.0.1-10.0.0.20" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/peer-rules", new { kind = "Deny", range = "2001:db8::/32" })).StatusCode);
        var realmRules = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/peer-rules");
        Assert.Equal(2, realmRules.GetArrayLength());
        Assert.All(realmRules.EnumerateArray(), r => Assert.Equal(realm, r.GetProperty("realm").GetString()));

        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/peer-rules", new { kind = "deny", range = "10.0.0.300" }), "range");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/peer-rules", new { kind = "deny", range = "10.0.0.9-10.0.0.1" }), "range");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/peer-rules", new { kind = "maybe", range = "10.0.0.1" }), "kind");
        await Problem.AssertAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/peer-rules", new { kind = "allow", range = "10.0.0.1-10.0.0.20" }),
            HttpStatusCode.Conflict, "Duplicate");
        Assert.Equal(2, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/peer-rules")).GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent,
            (await client.Http.DeleteAsync($"api/v1/realms/{realm}/peer-rules?kind=deny&range={Uri.EscapeDataString("2001:db8::/32")}")).StatusCode);
        Assert.Equal(1, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/peer-rules")).GetArrayLength());
        await Problem.AssertAsync(await client.Http.DeleteAsync($"api/v1/realms/{realm}/peer-rules?kind=deny&range={Uri.EscapeDataString("2001:db8::/32")}"),
            HttpStatusCode.NotFound, "NotFound");
        await Problem.AssertValidationAsync(await client.Http.DeleteAsync($"api/v1/realms/{realm}/peer-rules?kind=deny"), "range");

        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.DeleteAsync($"api/v1/peer-rules?kind=deny&range={Uri.EscapeDataString(globalRange)}")).StatusCode);
        Assert.DoesNotContain((await client.Http.GetFromJsonAsync<JsonElement>("api/v1/peer-rules")).EnumerateArray(),
            r => r.GetProperty("range").GetString() == globalRange);
    }
}
