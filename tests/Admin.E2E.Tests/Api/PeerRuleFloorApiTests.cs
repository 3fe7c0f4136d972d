using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Admin.E2E.Tests.Api;

/// <summary>
/// Issue 13 through the API: a realm admin's allow rule cannot open a built-in denial (400 on "range"), and a
/// superuser's global allow rule over one is listed as an exception to it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PeerRuleFloorApiTests(ApiFixture api)
{
    [Fact]
    public async Task RealmAdmin_AllowRuleOverABuiltInDenial_IsRefused()
    {
        var own = ApiFixture.NewRealm("floor");
        using var client = await api.RealmAdminAsync(own);

        // This fixture allows loopback peers (Relay:AllowLoopbackPeers), so link-local and metadata stand for the floor.
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{own}/peer-rules", new { kind = "allow", range = "169.254.0.0/16" }), "range");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{own}/peer-rules", new { kind = "allow", range = "0.0.0.0/0" }), "range");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{own}/peer-rules", new { kind = "allow", range = "169.254.169.254" }), "range");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{own}/peer-rules", new { kind = "allow", range = "fd00:ec2::254" }), "range");
        Assert.Equal(0, (await client.Http.GetFromJsonAsync<JsonElement>($"api/v1/realms/{own}/peer-rules")).GetArrayLength());

        // Above the floor a realm admin's rules work as before.
        var created = await client.Http.PostAsJsonAsync($"api/v1/realms/{own}/peer-rules", new { kind = "allow", range = "203.0.113.7" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(0, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("builtInDenials").GetArrayLength());
    }

    [Fact]
    public async Task Superuser_GlobalAllowOverLinkLocal_IsListedAsAnException()
    {
        using var superuser = await api.SuperuserAsync("floor");
        var range = $"169.254.{Random.Shared.Next(1, 168)}.7";

        var created = await superuser.Http.PostAsJsonAsync("api/v1/peer-rules", new { kind = "allow", range });
        try
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var rule = (await superuser.Http.GetFromJsonAsync<JsonElement>("api/v1/peer-rules")).EnumerateArray()
                .Single(r => r.GetProperty("range").GetString() == range);
            var reasons = rule.GetProperty("builtInDenials").EnumerateArray().Select(r => r.GetString()).ToList();
            Assert.Equal(["link-local"], reasons);
        }
        finally
        {
            await superuser.Http.DeleteAsync($"api/v1/peer-rules?kind=allow&range={Uri.EscapeDataString(range)}");
        }
    }
}
