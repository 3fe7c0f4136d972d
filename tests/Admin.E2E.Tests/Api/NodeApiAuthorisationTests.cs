using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Admin.Data.Administration;
using Admin.E2E.Tests.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.E2E.Tests.Api;

/// <summary>
/// Who may use the cluster API, on one real node (clustering off: the node still registers itself): draining concerns
/// every realm, so a realm admin's token gets 403 on drain and resume and the node stays as it was; a vend-only token
/// may not even list the nodes.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class NodeApiAuthorisationTests(ApiFixture api)
{
    [Fact]
    public async Task RealmAdmin_Gets403OnDrainAndResume_AndTheNodeIsNotDrained()
    {
        using var superuser = await api.SuperuserAsync("nodes auth");
        var self = await SelfAsync(superuser.Http);
        using var realmAdmin = await api.RealmAdminAsync(ApiFixture.NewRealm("nodes-ra"));

        // A realm admin may see the nodes (any admin may) but not drain or resume one.
        Assert.Equal(HttpStatusCode.OK, (await realmAdmin.Http.GetAsync("api/v1/nodes")).StatusCode);
        var drain = await realmAdmin.Http.PostAsync($"api/v1/nodes/{Uri.EscapeDataString(self)}/drain", null);
        Assert.Equal(HttpStatusCode.Forbidden, drain.StatusCode);
        Assert.Contains("superuser", await drain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await realmAdmin.Http.DeleteAsync($"api/v1/nodes/{Uri.EscapeDataString(self)}/drain")).StatusCode);

        var nodes = await superuser.Http.GetFromJsonAsync<JsonElement>("api/v1/nodes");
        Assert.False(nodes.EnumerateArray().Single(n => n.GetProperty("self").GetBoolean()).GetProperty("draining").GetBoolean());
    }

    [Fact]
    public async Task VendOnlyToken_Gets403OnListingAndDrainingNodes()
    {
        var realm = ApiFixture.NewRealm("nodes-vend");
        await api.EnsureRealmAsync(realm);
        using var superuser = await api.SuperuserAsync("nodes auth");
        var self = await SelfAsync(superuser.Http);
        var created = await api.Services.GetRequiredService<ApiTokenAdministration>()
            .CreateAsync(AdminActor.System, "admin", "vend nodes", null, ApiTokenScope.VendOnly(realm), CancellationToken.None);
        using var vend = api.Anonymous();
        vend.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.Token);

        Assert.Equal(HttpStatusCode.Forbidden, (await vend.GetAsync("api/v1/nodes")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vend.PostAsync($"api/v1/nodes/{Uri.EscapeDataString(self)}/drain", null)).StatusCode);
        // The same list answers the superuser's full token: the 403 is the scope, not the route.
        Assert.Equal(HttpStatusCode.OK, (await superuser.Http.GetAsync("api/v1/nodes")).StatusCode);
    }

    /// <summary>This node's name as the registry lists it (its first heartbeat may still be on its way).</summary>
    private static async Task<string> SelfAsync(HttpClient superuser)
    {
        string? self = null;
        await Eventually.HoldsAsync(async () =>
        {
            var nodes = await superuser.GetFromJsonAsync<JsonElement>("api/v1/nodes");
            self = nodes.EnumerateArray().Where(n => n.GetProperty("self").GetBoolean()).Select(n => n.GetProperty("name").GetString()).FirstOrDefault();
            return self is not null;
        }, () => "this node never appeared in GET /api/v1/nodes");
        return self!;
    }
}
