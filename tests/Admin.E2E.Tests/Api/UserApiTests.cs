using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Turn.Protocol;

namespace Admin.E2E.Tests.Api;

/// <summary>/api/v1/realms/{realm}/users: paging, search, sort, add, password, disable/enable, key, delete, CSV.</summary>
[Collection(ApiCollection.Name)]
public sealed class UserApiTests(ApiFixture api)
{
    [Fact]
    public async Task Users_ListPagesSearchesAndSorts()
    {
        using var client = await api.SuperuserAsync("user list");
        var realm = ApiFixture.NewRealm("list");
        await api.EnsureRealmAsync(realm);
        foreach (var name in new[] { "carol", "alice", "bob", "Alfred", "dave" })
            Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name, password = "pw-" + name })).StatusCode);

        var first = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users?take=2");
        Assert.Equal(5, first.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, first.GetProperty("take").GetInt32());
        var second = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users?skip=2&take=2");
        var all = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users");
        var names = Names(all);
        Assert.Equal(names.Take(2), Names(first));
        Assert.Equal(names.Skip(2).Take(2), Names(second));
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal).Count(), names.Count);

        var descending = Names(await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users?sort=-name"));
        Assert.Equal(names.AsEnumerable().Reverse(), descending);

        // Prefix search ignores case.
        var search = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users?search=AL");
        Assert.Equal(2, search.GetProperty("totalCount").GetInt32());
        Assert.Equal(new[] { "alfred", "alice" }, Names(search).Select(n => n.ToLowerInvariant()).Order());

        await Problem.AssertValidationAsync(await client.Http.GetAsync($"api/v1/realms/{realm}/users?sort=created"), "sort");
        await Problem.AssertValidationAsync(await client.Http.GetAsync($"api/v1/realms/{realm}/users?take=100000"), "take");
        await Problem.AssertValidationAsync(await client.Http.GetAsync($"api/v1/realms/{realm}/users?skip=-1"), "skip");
    }

    [Fact]
    public async Task User_Lifecycle_AddPasswordDisableEnableKeyDelete()
    {
        using var client = await api.SuperuserAsync("user lifecycle");
        var realm = ApiFixture.NewRealm("life");
        await api.EnsureRealmAsync(realm);

        var created = await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = "alice", password = "first-pw" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(user.GetProperty("disabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, user.GetProperty("generatedPassword").ValueKind);

        var key = await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users/alice/key");
        Assert.Equal(LongTermKey.ComputeHex("alice", realm, "first-pw"), key.GetProperty("hmacKey").GetString());

        var version = (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users/alice")).GetProperty("version").GetUInt32();
        Assert.Equal(HttpStatusCode.OK, (await client.Http.PutAsJsonAsync($"api/v1/realms/{realm}/users/alice/password", new { password = "second-pw", version })).StatusCode);
        Assert.Equal(LongTermKey.ComputeHex("alice", realm, "second-pw"),
            (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users/alice/key")).GetProperty("hmacKey").GetString());
        // The old version is stale now.
        await Problem.AssertAsync(await client.Http.PutAsJsonAsync($"api/v1/realms/{realm}/users/alice/password", new { password = "third-pw", version }),
            HttpStatusCode.Conflict, "Conflict");

        var disabled = await client.Http.PostAsync($"api/v1/realms/{realm}/users/alice/disable", null);
        Assert.True((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());
        var enabled = await client.Http.PostAsync($"api/v1/realms/{realm}/users/alice/enable", null);
        Assert.False((await enabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.DeleteAsync($"api/v1/realms/{realm}/users/alice")).StatusCode);
        await Problem.AssertAsync(await client.Http.GetAsync($"api/v1/realms/{realm}/users/alice"), HttpStatusCode.NotFound, "NotFound");
        await Problem.AssertAsync(await client.Http.DeleteAsync($"api/v1/realms/{realm}/users/alice"), HttpStatusCode.NotFound, "NotFound");
        await Problem.AssertAsync(await client.Http.PostAsync($"api/v1/realms/{realm}/users/alice/disable", null), HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task User_AddWithKeyOrGeneratedPassword()
    {
        using var client = await api.SuperuserAsync("user key");
        var realm = ApiFixture.NewRealm("keys");
        await api.EnsureRealmAsync(realm);
        var hex = LongTermKey.ComputeHex("bob", realm, "bobs-pw");
        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = "bob", hmacKey = hex.ToUpperInvariant() })).StatusCode);
        Assert.Equal(hex, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users/bob/key")).GetProperty("hmacKey").GetString());

        var generated = await (await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = "gen", generatePassword = true }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var password = generated.GetProperty("generatedPassword").GetString()!;
        Assert.True(password.Length >= 16);
        Assert.Equal(LongTermKey.ComputeHex("gen", realm, password),
            (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users/gen/key")).GetProperty("hmacKey").GetString());
    }

    [Fact]
    public async Task User_BadInput_IsValidationProblemAndNothingSaved()
    {
        using var client = await api.SuperuserAsync("user validation");
        var realm = ApiFixture.NewRealm("bad");
        await api.EnsureRealmAsync(realm);

        var colon = await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = "ali:ce", password = "pw" }), "name");
        Assert.Contains("':'", colon.GetProperty("detail").GetString());
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = "alice", password = "" }), "password");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = "alice" }), "password");
        await Problem.AssertValidationAsync(
            await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = "alice", password = "pw", generatePassword = true }), "password");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = "alice", hmacKey = "xyz" }), "hmacKey");
        Assert.Equal(0, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users")).GetProperty("totalCount").GetInt32());

        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = "alice", password = "pw" })).StatusCode);
        await Problem.AssertAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/users", new { name = "alice", password = "other" }), HttpStatusCode.Conflict, "Duplicate");
        await Problem.AssertValidationAsync(await client.Http.PutAsJsonAsync($"api/v1/realms/{realm}/users/alice/password", new { password = "" }), "password");
        Assert.Equal(LongTermKey.ComputeHex("alice", realm, "pw"),
            (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users/alice/key")).GetProperty("hmacKey").GetString());

        await Problem.AssertAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{ApiFixture.NewRealm("missing")}/users", new { name = "x", password = "pw" }),
            HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task UsersCsv_ImportWithABadLineImportsNothing_ThenImportsAndExports()
    {
        using var client = await api.SuperuserAsync("csv");
        var realm = ApiFixture.NewRealm("csv");
        await api.EnsureRealmAsync(realm);

        var bad = await client.Http.PostAsync($"api/v1/realms/{realm}/users.csv", Csv("user,password\nann,pw-ann\nbo:b,pw-bob\ncid,\n"));
        var problem = await Problem.AssertValidationAsync(bad, "csv");
        var lines = problem.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(new[] { 3, 4 }, lines.Select(l => l.GetProperty("line").GetInt32()));
        Assert.Equal(0, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{realm}/users")).GetProperty("totalCount").GetInt32());

        await Problem.AssertValidationAsync(await client.Http.PostAsync($"api/v1/realms/{realm}/users.csv", Csv("name;pass\nx;y\n")), "csv");

        var good = await client.Http.PostAsync($"api/v1/realms/{realm}/users.csv", Csv("user,password\nann,pw-ann\n\"b,ob\",pw-bob\n"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(2, (await good.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());

        // A migration's second pass: an existing user refused by default, skipped or updated on request.
        await Problem.AssertValidationAsync(await client.Http.PostAsync($"api/v1/realms/{realm}/users.csv", Csv("user,password\nann,pw-other\n")), "csv");
        await Problem.AssertValidationAsync(await client.Http.PostAsync($"api/v1/realms/{realm}/users.csv?existing=sometimes", Csv("user,password\ndee,pw\n")), "existing");
        var skipped = await (await client.Http.PostAsync($"api/v1/realms/{realm}/users.csv?existing=skip", Csv("user,password\nann,pw-other\n"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 0, 1), (skipped.GetProperty("imported").GetInt32(), skipped.GetProperty("updated").GetInt32(), skipped.GetProperty("skipped").GetInt32()));
        var updated = await (await client.Http.PostAsync($"api/v1/realms/{realm}/users.csv?existing=update", Csv("user,password\nann,pw-ann2\n"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 1, 0), (updated.GetProperty("imported").GetInt32(), updated.GetProperty("updated").GetInt32(), updated.GetProperty("skipped").GetInt32()));

        var export = await client.Http.GetAsync($"api/v1/realms/{realm}/users.csv");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var text = (await export.Content.ReadAsStringAsync()).ReplaceLineEndings("\n");
        Assert.Equal($"user,hmackey\nann,{LongTermKey.ComputeHex("ann", realm, "pw-ann2")}\n\"b,ob\",{LongTermKey.ComputeHex("b,ob", realm, "pw-bob")}\n", text);

        await Problem.AssertAsync(await client.Http.GetAsync($"api/v1/realms/{ApiFixture.NewRealm("nocsv")}/users.csv"), HttpStatusCode.NotFound, "NotFound");
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static List<string> Names(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("name").GetString()!).ToList();
}
