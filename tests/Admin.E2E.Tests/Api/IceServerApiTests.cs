using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Turn.Protocol;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Api;

/// <summary>
/// POST /api/v1/realms/{realm}/ice-servers: credentials signed with the realm's newest secret, which a real TURN
/// client (aioice) then uses on the co-hosted relay; bounds, missing secrets and the per-token rate limit.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IceServerApiTests(ApiFixture api)
{
    /// <summary>The relay's default realm (Relay:DefaultRealm), the one its 401 challenges announce.</summary>
    private const string RelayRealm = "turnstone";

    [Fact]
    public async Task VendedCredentials_AllocateOnTheRelayWithARealClient_OverUdpAndTcp_UntilTheSecretIsDeleted()
    {
        using var client = await api.SuperuserAsync("vending");
        await api.EnsureRealmAsync(RelayRealm);
        await client.Http.PostAsJsonAsync($"api/v1/realms/{RelayRealm}/secrets", new { value = "older-secret-" + Guid.NewGuid().ToString("N") });
        await Task.Delay(20); // distinct created_at
        var newest = await (await client.Http.PostAsync($"api/v1/realms/{RelayRealm}/secrets/generate", null)).Content.ReadFromJsonAsync<JsonElement>();
        var secret = newest.GetProperty("value").GetString()!;

        var before = DateTimeOffset.UtcNow;
        var response = await client.Http.PostAsJsonAsync($"api/v1/realms/{RelayRealm}/ice-servers", new { ttl = 600, label = "alice@app" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(600, body.GetProperty("ttl").GetInt32());
        var server = body.GetProperty("iceServers").EnumerateArray().Single();
        var username = server.GetProperty("username").GetString()!;
        var credential = server.GetProperty("credential").GetString()!;
        var urls = server.GetProperty("urls").EnumerateArray().Select(u => u.GetString()!).ToList();

        // "expiry:label", expiry = now + ttl; the credential is base64(HMAC-SHA1(newest secret, username)).
        Assert.True(TurnRestCredential.TryParseUsername(username, out var expiresAt, out var label));
        Assert.Equal("alice@app", label);
        Assert.InRange(expiresAt, before.AddSeconds(599), DateTimeOffset.UtcNow.AddSeconds(601));
        Assert.Equal(TurnRestCredential.ComputePassword(secret, username), credential);
        var port = api.RelayPort;
        Assert.Equal(new[] { $"turn:127.0.0.1:{port}?transport=udp", $"turn:127.0.0.1:{port}?transport=tcp" }, urls);

        await using var peer = await TurnutilsPeer.StartAsync();
        foreach (var (url, transport) in new[] { (urls[0], ClientTransport.Udp), (urls[1], ClientTransport.Tcp) })
        {
            var (host, urlPort) = HostAndPort(url);
            var target = new TurnServerTarget(host, urlPort, transport, RelayRealm, username, credential);
            var relayed = await AioiceTurnClient.RelayAsync(target, "127.0.0.1", peer.Port, channelMessages: 3, timeout: TimeSpan.FromSeconds(20));
            Assert.True(relayed.Ok, $"{transport}: {relayed.Output}");
            Assert.Equal(RelayRealm, relayed.Realm);
            Assert.Equal(3, relayed.ChannelMessagesEchoed);
        }

        // Deleting the signing secret ends the credentials it signed (within the relay's change notification).
        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.DeleteAsync($"api/v1/realms/{RelayRealm}/secrets/{newest.GetProperty("fingerprint").GetString()}")).StatusCode);
        var (h, p) = HostAndPort(urls[0]);
        AioiceRelayResult refused = null!;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            refused = await AioiceTurnClient.RelayAsync(new TurnServerTarget(h, p, ClientTransport.Udp, RelayRealm, username, credential),
                "127.0.0.1", peer.Port, channelMessages: 1, timeout: TimeSpan.FromSeconds(10));
            if (!refused.Ok) break;
            await Task.Delay(200);
        }
        Assert.False(refused.Ok, refused.Output);
        Assert.Equal("allocate", refused.Step);
    }

    [Fact]
    public async Task Vending_WithoutSecretOrRealm_OrOutOfBounds_IsAClearProblem()
    {
        using var client = await api.SuperuserAsync("vending errors");
        var realm = ApiFixture.NewRealm("nosecret");
        await api.EnsureRealmAsync(realm);

        var none = await Problem.AssertAsync(await client.Http.PostAsync($"api/v1/realms/{realm}/ice-servers", null), HttpStatusCode.Conflict, "Conflict");
        Assert.Contains("no shared secret", none.GetProperty("detail").GetString());
        await Problem.AssertAsync(await client.Http.PostAsync($"api/v1/realms/{ApiFixture.NewRealm("absent")}/ice-servers", null), HttpStatusCode.NotFound, "NotFound");

        await client.Http.PostAsync($"api/v1/realms/{realm}/secrets/generate", null);
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/ice-servers", new { ttl = 10 }), "ttl");
        await Problem.AssertValidationAsync(await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/ice-servers", new { ttl = 172801 }), "ttl");
        // Refused requests count against the per-token limit too: go on with a second token.
        using var second = await api.SuperuserAsync("vending errors 2");
        await Problem.AssertValidationAsync(await second.Http.PostAsJsonAsync($"api/v1/realms/{realm}/ice-servers", new { label = "bad\nlabel" }), "label");
        using var malformed = new StringContent("{ttl:", System.Text.Encoding.UTF8, "application/json");
        await Problem.AssertValidationAsync(await second.Http.PostAsync($"api/v1/realms/{realm}/ice-servers", malformed), "request");

        // Without a body: the default lifetime and a username of the expiry and, outside the default realm, the realm
        // ("expiry:@realm": no user part, so the relay still finds the realm's secrets).
        var ok = await second.Http.PostAsync($"api/v1/realms/{realm}/ice-servers", null);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(86_400, body.GetProperty("ttl").GetInt32());
        Assert.Matches($"^[0-9]+:@{System.Text.RegularExpressions.Regex.Escape(realm)}$", body.GetProperty("iceServers")[0].GetProperty("username").GetString()!);
    }

    [Fact]
    public async Task Vending_OutsideTheDefaultRealm_UsernameNamesTheRealm_UrlsOnItsHostName_TurnsRefusedWithoutACertificate()
    {
        using var client = await api.SuperuserAsync("vending realm");
        var realm = ApiFixture.NewRealm("tenant");
        await api.EnsureRealmAsync(realm);
        var secret = (await (await client.Http.PostAsync($"api/v1/realms/{realm}/secrets/generate", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("value").GetString()!;
        var host = $"turn.{realm}";
        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/host-names", new { hostName = host })).StatusCode);

        var response = await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/ice-servers", new { ttl = 600, label = "alice" });
        var server = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("iceServers")[0];
        var username = server.GetProperty("username").GetString()!;
        var urls = server.GetProperty("urls").EnumerateArray().Select(u => u.GetString()!).ToList();
        // No TLS in this host: turns: is refused when asked for (no certificate browsers accept), and left out otherwise.
        var turns = await Problem.AssertAsync(
            await client.Http.PostAsJsonAsync($"api/v1/realms/{realm}/ice-servers", new { turns = true }), HttpStatusCode.Conflict, "Conflict");

        Assert.EndsWith($":alice@{realm}", username, StringComparison.Ordinal);
        Assert.Equal(TurnRestCredential.ComputePassword(secret, username), server.GetProperty("credential").GetString());
        Assert.Equal(new[] { $"turn:{host}:{api.RelayPort}?transport=udp", $"turn:{host}:{api.RelayPort}?transport=tcp" }, urls);
        Assert.Contains("TLS is off", turns.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Vending_BeyondThePerTokenLimit_Is429WithRetryAfter_AndOtherTokensAreUnaffected()
    {
        using var client = await api.SuperuserAsync("rate limit");
        var realm = ApiFixture.NewRealm("rate");
        await api.EnsureRealmAsync(realm);
        await client.Http.PostAsync($"api/v1/realms/{realm}/secrets/generate", null);

        for (var i = 0; i < ApiFixture.IceServersPermitLimit; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.Http.PostAsync($"api/v1/realms/{realm}/ice-servers", null)).StatusCode);
        var limited = await client.Http.PostAsync($"api/v1/realms/{realm}/ice-servers", null);
        await Problem.AssertAsync(limited, HttpStatusCode.TooManyRequests, "TooManyRequests");
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        // The limit is per token: another token of the same admin still gets credentials, and other endpoints stay open.
        using var other = await api.SuperuserAsync("rate limit 2");
        Assert.Equal(HttpStatusCode.OK, (await other.Http.PostAsync($"api/v1/realms/{realm}/ice-servers", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync($"api/v1/realms/{realm}/secrets")).StatusCode);
    }

    private static (string Host, int Port) HostAndPort(string url)
    {
        // turn:HOST:PORT?transport=...
        var hostPort = url[(url.IndexOf(':') + 1)..url.IndexOf('?')];
        var colon = hostPort.LastIndexOf(':');
        return (hostPort[..colon], int.Parse(hostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
