using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Admin.Data.Administration;
using Admin.Web.Auth;
using Npgsql;
using Turn.Protocol;

namespace Admin.E2E.Tests.Hardening;

/// <summary>
/// The portal's admin-rights defences over real HTTP against the real app: the per-network sign-in throttle (and the
/// real admin from another network still getting in), server-side sign-out (a replayed cookie is refused), the
/// current password for one's own change, formula-safe CSV downloads, and the metrics token.
/// </summary>
public sealed class SignInHardeningTests(HardeningFixture fixture) : IClassFixture<HardeningFixture>
{
    private const string Admin = "admin";
    private static readonly string Password = Hosting.AppFixtureBuilder.DefaultAdminPassword;

    private Uri Base => fixture.App.BaseAddress;

    [Fact]
    public async Task GuessingFromOneNetwork_IsThrottled_ButTheRealAdminFromAnotherNetworkSignsIn()
    {
        using var guesser = new PortalHttpSession(Base, "198.51.100.10");
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await guesser.SignInAsync(Admin, $"guess-{i}");
            Assert.Contains("error=1", wrong.Headers.Location?.ToString());
        }

        // The burst (3) is used up: refused before any password check, even the right one, and for the whole /24.
        using (var refused = await guesser.SignInAsync(Admin, Password))
        {
            Assert.Contains("throttled=1", refused.Headers.Location?.ToString());
            Assert.NotNull(refused.Headers.RetryAfter);
        }
        guesser.ClientAddress = "198.51.100.200";
        using (var neighbour = await guesser.SignInAsync(Admin, Password))
            Assert.Contains("throttled=1", neighbour.Headers.Location?.ToString());
        Assert.DoesNotContain("turnstone.auth", guesser.Cookies.Keys);

        // Three failures also locked the account (Portal:Login:MaxFailedAttempts = 3), but only for the guessing network.
        using var realAdmin = new PortalHttpSession(Base, "203.0.113.5");
        using var signedIn = await realAdmin.SignInAsync(Admin, Password);
        Assert.Equal("/", signedIn.Headers.Location?.ToString());
        Assert.Contains("turnstone.auth", realAdmin.Cookies.Keys);
        using var dashboard = await realAdmin.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Theory]
    [InlineData("https", true)]
    [InlineData(null, false)]
    public async Task Cookies_AreSecure_WhenTheProxyWasReachedOverHttps(string? forwardedProto, bool secure)
    {
        using var browser = new PortalHttpSession(Base, "192.0.2.70") { ForwardedProto = forwardedProto };
        using (var signedIn = await browser.SignInAsync(Admin, Password)) Assert.Equal("/", signedIn.Headers.Location?.ToString());

        var auth = Assert.Single(browser.SetCookieHeaders, h => h.StartsWith("turnstone.auth=", StringComparison.Ordinal));
        var antiforgery = browser.SetCookieHeaders.First(h => h.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Equal(secure, auth.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(secure, antiforgery.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignOut_EndsTheSessionOnTheServer_AReplayedCookieGoesToLogin()
    {
        using var browser = new PortalHttpSession(Base, "192.0.2.50");
        using (var signedIn = await browser.SignInAsync(Admin, Password)) Assert.Equal("/", signedIn.Headers.Location?.ToString());
        var stolen = new Dictionary<string, string>(browser.Cookies);
        using (var before = await browser.GetAsync("")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using (var signedOut = await browser.SignOutAsync()) Assert.Equal(LoginEndpoints.LoginPath, signedOut.Headers.Location?.ToString());

        using var replay = new PortalHttpSession(Base, "192.0.2.51");
        foreach (var (name, value) in stolen) replay.Cookies[name] = value;
        using var replayed = await replay.GetAsync("");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Contains(LoginEndpoints.LoginPath, replayed.Headers.Location?.ToString());
    }

    [Fact]
    public async Task OwnPasswordChange_WithoutTheCurrentPassword_IsRefused()
    {
        var accounts = fixture.App.Get<AdminAccountAdministration>();
        await accounts.AddAsync("self-service", "first-Passw0rd", null, AdminActor.System, CancellationToken.None);
        var token = await fixture.App.Get<ApiTokenAdministration>().CreateAsync(AdminActor.System, "self-service", "test", null, CancellationToken.None);
        using var api = new HttpClient { BaseAddress = Base };
        api.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.99");
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);

        using var missing = await api.PutAsJsonAsync("api/v1/admins/self-service/password", new { password = "second-Passw0rd" });
        using var wrong = await api.PutAsJsonAsync("api/v1/admins/self-service/password", new { password = "second-Passw0rd", currentPassword = "not-it-at-all" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("currentPassword", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        using var right = await api.PutAsJsonAsync("api/v1/admins/self-service/password", new { password = "second-Passw0rd", currentPassword = "first-Passw0rd" });
        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);

        // Guessing the current password is throttled per network like sign-ins (burst 3 here: two wrong ones above).
        using var third = await api.PutAsJsonAsync("api/v1/admins/self-service/password", new { password = "third-Passw0rd", currentPassword = "guess" });
        using var throttled = await api.PutAsJsonAsync("api/v1/admins/self-service/password", new { password = "third-Passw0rd", currentPassword = "second-Passw0rd" });
        Assert.Equal(HttpStatusCode.BadRequest, third.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
    }

    [Fact]
    public async Task UsersCsvDownload_NeutralisesFormulas()
    {
        var realm = "csv-" + Guid.NewGuid().ToString("N")[..8] + ".example";
        await fixture.App.Get<RealmAdministration>().AddAsync(AdminActor.System, realm, null, CancellationToken.None);
        // Raw SQL, as coturn's tools would write them.
        await using (var connection = new NpgsqlConnection(fixture.App.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, '=HYPERLINK(\"http://x\")', $2), ($1, '@SUM(A1)', $2), ($1, '-2+3', $2)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = realm });
            insert.Parameters.Add(new NpgsqlParameter { Value = LongTermKey.ComputeHex("x", realm, "pw") });
            await insert.ExecuteNonQueryAsync();
        }
        using var browser = new PortalHttpSession(Base, "192.0.2.60");
        using (var signedIn = await browser.SignInAsync(Admin, Password)) Assert.Equal("/", signedIn.Headers.Location?.ToString());

        using var download = await browser.GetAsync(Web.Portal.UserExportEndpoint.PathFor(realm));

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var lines = (await download.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), line => Assert.DoesNotMatch("^\"?[=+\\-@]", line));
        Assert.Contains(lines, l => l.StartsWith("'@SUM(A1),", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("'-2+3,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("\"'=HYPERLINK(\"\"http://x\"\")\",", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_RequireTheBearerToken()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.App.MetricsPort}") };

        using var anonymous = await http.GetAsync("metrics");
        using var wrongRequest = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token-wrong-token") } };
        using var wrong = await http.SendAsync(wrongRequest);
        using var rightRequest = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", HardeningFixture.MetricsToken) } };
        using var right = await http.SendAsync(rightRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("# TYPE", await right.Content.ReadAsStringAsync());
    }
}
