using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Admin.Data.Administration;
using Admin.Web.Api.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.E2E.Tests.Api;

/// <summary>Bearer tokens: who they act as, revocation, expiry, and that the portal cookie never opens the API.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class ApiAuthenticationTests(ApiFixture api)
{
    [Fact]
    public async Task Ping_WithoutToken_Answers()
    {
        using var client = api.Anonymous();
        var ping = await client.GetFromJsonAsync<JsonElement>("api/v1/ping");
        Assert.Equal("ok", ping.GetProperty("status").GetString());
    }

    [Fact]
    public async Task WhoAmI_WithoutToken_Is401ProblemNotALoginRedirect()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.BaseAddress };
        var response = await client.GetAsync("api/v1/whoami");
        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task WhoAmI_SuperuserToken_NamesTheAdminAndUpdatesLastUsed()
    {
        using var client = await api.SuperuserAsync("whoami");
        var me = await client.Http.GetFromJsonAsync<JsonElement>("api/v1/whoami");
        Assert.Equal("admin", me.GetProperty("name").GetString());
        Assert.True(me.GetProperty("superuser").GetBoolean());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("realm").ValueKind);
        Assert.Equal(client.Token.Info.Id, me.GetProperty("tokenId").GetInt64());

        var listed = await api.Services.GetRequiredService<ApiTokenAdministration>().ListAsync(AdminActor.System, "admin", CancellationToken.None);
        Assert.NotNull(listed.Single(t => t.Id == client.Token.Info.Id).LastUsedAt);
    }

    [Fact]
    public async Task Token_IsShownOnceAndStoredHashed()
    {
        using var client = await api.SuperuserAsync("hash");
        Assert.StartsWith(ApiTokenAdministration.TokenPrefix, client.Token.Token);
        Assert.Equal(4 + 43, client.Token.Token.Length);
        Assert.Equal(client.Token.Token[..ApiTokenAdministration.ShownPrefixLength], client.Token.Info.Prefix);
        // The table holds the SHA-256 of the token, never the token.
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Admin.Data.AdminDbContext>();
        var row = db.AdminApiTokens.Single(t => t.Id == client.Token.Info.Id);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(client.Token.Token)), row.TokenHash);
    }

    [Fact]
    public async Task RevokedToken_Is401OnTheVeryNextRequest()
    {
        using var client = await api.SuperuserAsync("revoke");
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("api/v1/whoami")).StatusCode);

        await api.Services.GetRequiredService<ApiTokenAdministration>().RevokeAsync(AdminActor.System, "admin", client.Token.Info.Id, CancellationToken.None);

        var response = await client.Http.GetAsync("api/v1/whoami");
        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ExpiredToken_Is401()
    {
        using var client = await api.ClientForAsync("admin", "short-lived", TimeSpan.FromMilliseconds(200));
        await Task.Delay(500);
        await Problem.AssertAsync(await client.Http.GetAsync("api/v1/realms"), HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task GarbageAndWrongSchemeTokens_Are401()
    {
        using var client = api.Anonymous();
        foreach (var header in new[] { "Bearer tst_not-a-real-token", "Bearer nonsense", "Basic YWRtaW46cGFzc3dvcmQ=" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/realms");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            await Problem.AssertAsync(await client.SendAsync(request), HttpStatusCode.Unauthorized, "Unauthorized");
        }
    }

    [Fact]
    public async Task DeletedAdmin_TheirTokenIs401()
    {
        var realm = ApiFixture.NewRealm("gone");
        using var client = await api.RealmAdminAsync(realm);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("api/v1/whoami")).StatusCode);

        await api.Services.GetRequiredService<AdminAccountAdministration>().DeleteAsync(client.Token.Info.AdminName, AdminActor.System, CancellationToken.None);

        await Problem.AssertAsync(await client.Http.GetAsync("api/v1/whoami"), HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task PortalCookie_DoesNotAuthenticateTheApi()
    {
        // Sign in to the portal like a browser: the cookie container then holds the sign-in cookie.
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = api.BaseAddress };
        var loginPage = await browser.GetStringAsync("login");
        var antiforgery = AntiforgeryField().Match(loginPage);
        Assert.True(antiforgery.Success, "no antiforgery field on the login page");
        var signIn = await browser.PostAsync("auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgery.Groups["name"].Value] = WebUtility.HtmlDecode(antiforgery.Groups["value"].Value),
            ["username"] = "admin",
            ["password"] = ApiFixture.AdminPassword,
            ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains(cookies.GetCookies(api.BaseAddress), c => c.Name == "turnstone.auth");
        // The cookie opens the portal...
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("admins")).StatusCode);

        // ...but never the API (a cross-site request would carry it: CSRF).
        await Problem.AssertAsync(await browser.GetAsync("api/v1/whoami"), HttpStatusCode.Unauthorized, "Unauthorized");
        var post = await browser.PostAsJsonAsync("api/v1/realms", new { name = ApiFixture.NewRealm("csrf") });
        await Problem.AssertAsync(post, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task UnknownApiPath_IsProblem404WithTokenAnd401Without()
    {
        using var client = await api.SuperuserAsync("unknown path");
        await Problem.AssertAsync(await client.Http.GetAsync("api/v1/no-such-thing"), HttpStatusCode.NotFound, "NotFound");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.BaseAddress };
        await Problem.AssertAsync(await anonymous.GetAsync("api/v1/no-such-thing"), HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task MalformedJsonBody_Is400Problem()
    {
        using var client = await api.SuperuserAsync("malformed");
        using var content = new StringContent("{ \"name\": ", System.Text.Encoding.UTF8, "application/json");
        await Problem.AssertAsync(await client.Http.PostAsync("api/v1/realms", content), HttpStatusCode.BadRequest, "InvalidInput");
        // A query value of the wrong type, too.
        await Problem.AssertAsync(await client.Http.GetAsync("api/v1/audit?skip=many"), HttpStatusCode.BadRequest, "InvalidInput");
    }

    [GeneratedRegex("<input[^>]*name=\"(?<name>__RequestVerificationToken)\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
