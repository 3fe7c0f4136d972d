using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Admin.Data.Administration;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.E2E.Tests.Api;

/// <summary>
/// A vend-only token (ApiTokenScope.Vend) may POST its own realm's ice-servers and nothing else: every other API
/// endpoint the host maps, another realm's ice-servers, and the usage CSV answer 403.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TokenScopeTests(ApiFixture api)
{
    [Fact]
    public async Task VendOnlyToken_VendsForItsRealm_AndGets403OnEveryOtherEndpoint()
    {
        var realm = "vend-" + Guid.NewGuid().ToString("N")[..8] + ".test";
        var other = "vend-" + Guid.NewGuid().ToString("N")[..8] + ".test";
        using var superuser = await api.SuperuserAsync("scope setup");
        foreach (var r in new[] { realm, other })
        {
            await api.EnsureRealmAsync(r);
            Assert.Equal(HttpStatusCode.Created, (await superuser.Http.PostAsync($"api/v1/realms/{r}/secrets/generate", null)).StatusCode);
        }
        var created = await api.Services.GetRequiredService<ApiTokenAdministration>()
            .CreateAsync(AdminActor.System, "admin", "app server", null, ApiTokenScope.VendOnly(realm), CancellationToken.None);
        using var vend = api.Anonymous();
        vend.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.Token);

        var vended = await vend.PostAsJsonAsync($"api/v1/realms/{realm}/ice-servers", new { ttl = 600 });
        Assert.Equal(HttpStatusCode.OK, vended.StatusCode);
        Assert.True((await vended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("iceServers").GetArrayLength() > 0);

        var otherRealm = await vend.PostAsync($"api/v1/realms/{other}/ice-servers", null);
        Assert.Equal(HttpStatusCode.Forbidden, otherRealm.StatusCode);
        Assert.Contains("vend-only", await otherRealm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await vend.GetAsync("usage/export.csv?from=2026-11-30&to=2026-12-01")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vend.GetAsync("api/v1/no-such-endpoint")).StatusCode);

        // Every endpoint the host maps under /api/v1, with its own realm in {realm}: only VendIceServers (and anonymous ping) pass.
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true && !e.RoutePattern.RawText.Contains("**", StringComparison.Ordinal))
            .ToList();
        Assert.True(endpoints.Count > 30, $"only {endpoints.Count} API endpoints found");
        var checkedCalls = 0;
        foreach (var endpoint in endpoints)
        {
            var path = endpoint.RoutePattern.RawText!.TrimStart('/');
            foreach (var parameter in endpoint.RoutePattern.Parameters)
            {
                var value = parameter.Name == "realm" ? realm : parameter.Name == "id" ? "1" : "x";
                path = System.Text.RegularExpressions.Regex.Replace(path, "\\{" + parameter.Name + "[^}]*\\}", value);
            }
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH") request.Content = JsonContent.Create(new { });
                var status = (await vend.SendAsync(request)).StatusCode;
                var isVend = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>()?.EndpointName == "VendIceServers";
                // Anonymous endpoints (ping) answer anyone, with or without a token.
                if (isVend || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null) continue;
                Assert.True(status == HttpStatusCode.Forbidden, $"{method} {path}: {(int)status}");
                checkedCalls++;
            }
        }
        Assert.True(checkedCalls > 30);

        // The same calls with a full token of the same admin are not refused for scope.
        Assert.Equal(HttpStatusCode.OK, (await superuser.Http.GetAsync("api/v1/whoami")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await superuser.Http.GetAsync("usage/export.csv?from=2026-11-30&to=2026-12-01")).StatusCode);
    }
}
