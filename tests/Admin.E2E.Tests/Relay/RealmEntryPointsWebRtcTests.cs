using Admin.Data.Administration;
using Admin.Data.Usage;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// Issue 12's "done when" for TURN REST: two realms on one default single-port install, each with users and a
/// secret; stock Chromium (iceTransportPolicy 'relay') opens a data channel with each realm's vended credentials
/// ("expiry:user@realm") on the URLs vending returned, over UDP and TCP, and the allocation belongs to that realm.
/// Needs the relay's part of the design (a REST username's @realm picks the realm's secrets).
/// </summary>
[Trait("Category", "E2E")]
public sealed class RealmEntryPointsWebRtcTests(TwoRealmsFixture fixture, ITestOutputHelper output) : IClassFixture<TwoRealmsFixture>
{
    private const int Messages = 5;

    [Theory]
    [InlineData(TwoRealmsFixture.First, "udp")]
    [InlineData(TwoRealmsFixture.First, "tcp")]
    [InlineData(TwoRealmsFixture.Second, "udp")]
    [InlineData(TwoRealmsFixture.Second, "tcp")]
    public async Task Chromium_VendedCredentialsOfEachRealm_OpenARelayedDataChannel(string realm, string transport)
    {
        var label = $"visitor-{transport}";
        var response = await fixture.Api.PostAsJsonAsync($"api/v1/realms/{realm}/ice-servers", new { ttl = 600, label });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var server = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("iceServers").EnumerateArray().Single();
        var username = server.GetProperty("username").GetString()!;
        var credential = server.GetProperty("credential").GetString()!;
        var url = server.GetProperty("urls").EnumerateArray().Select(u => u.GetString()!).Single(u => u.EndsWith($"?transport={transport}", StringComparison.Ordinal));
        Assert.EndsWith($":{label}@{realm}", username, StringComparison.Ordinal);
        Assert.Equal($"turn:127.0.0.1:{fixture.TurnPort}?transport={transport}", url);

        var browser = await fixture.BrowserAsync();
        var result = await browser.ConnectAsync(url, username, credential, Messages, TimeSpan.FromSeconds(20));
        output.WriteLine($"{realm} {url} {username}: {result}");

        Assert.True(result.Opened, $"{url}: {result}");
        Assert.Equal(Messages, result.Echoed);
        Assert.True(result.IsRelayPair, result.ToString());
        Assert.Equal(transport, result.LocalRelayProtocol);
        // The browsers' allocations belonged to this realm: they are gone once the page closed them, so ask the usage
        // the recorder kept for them (flushed on demand), by realm.
        Assert.True(await UsageRecordedAsync(realm, label), $"no usage of {label} recorded in {realm}");
    }

    private async Task<bool> UsageRecordedAsync(string realm, string label)
    {
        var from = DateTimeOffset.UtcNow.AddHours(-1);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            await fixture.Get<UsageRecorder>().FlushAsync(CancellationToken.None);
            var totals = await fixture.Get<UsageReports>().TopUsersAsync(AdminActor.System, realm, from, DateTimeOffset.UtcNow.AddMinutes(2), 100, CancellationToken.None);
            if (totals.Any(t => t.Realm == realm && t.Name is not null && t.Name.Contains(label, StringComparison.Ordinal) && t.BytesIn > 0)) return true;
            await Task.Delay(250);
        }
        return false;
    }

    [Fact]
    public async Task Chromium_OneRealmsCredentialWithTheOtherRealmsName_Refused()
    {
        // Signed with the first realm's secret but naming the second realm: the second realm's secrets do not verify it.
        var response = await fixture.Api.PostAsJsonAsync($"api/v1/realms/{TwoRealmsFixture.First}/ice-servers", new { ttl = 600, label = "mallory" });
        var server = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("iceServers").EnumerateArray().Single();
        var username = server.GetProperty("username").GetString()!.Replace(TwoRealmsFixture.First, TwoRealmsFixture.Second, StringComparison.Ordinal);
        var credential = server.GetProperty("credential").GetString()!;

        var browser = await fixture.BrowserAsync();
        var result = await browser.ConnectAsync($"turn:127.0.0.1:{fixture.TurnPort}?transport=udp", username, credential, Messages, TimeSpan.FromSeconds(6));
        output.WriteLine(result.ToString());

        Assert.False(result.Opened, result.ToString());
        Assert.Contains(result.CandidateErrors, e => e.Contains(" 401 ", StringComparison.Ordinal));
    }
}
