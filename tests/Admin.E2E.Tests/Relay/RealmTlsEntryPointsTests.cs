using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Admin.Data.Administration;
using Admin.Data.Usage;
using Turn.Protocol;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// Issue 12's "done when" for realm entry points over TLS and ORIGIN, against `turnstone serve` on PostgreSQL:
/// Chromium reaches each realm over turns: by its own host name with that realm's certificate (a stored user of the
/// realm, and vended credentials); a raw client reaches the second realm by ORIGIN and is refused when its REALM
/// differs from the offer; a certificate replaced on disk while a TLS allocation lives leaves the allocation going,
/// and the next handshake presents the new certificate.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RealmTlsEntryPointsTests(RealmTlsFixture fixture, ITestOutputHelper output) : IClassFixture<RealmTlsFixture>
{
    private const int Messages = 5;
    private static readonly TimeSpan DirectoryRefresh = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(RealmTlsFixture.First)]
    [InlineData(RealmTlsFixture.Second)]
    public async Task TlsHandshake_WithEachRealmsHostName_PresentsThatRealmsCertificate_AndOffersThatRealm(string realm)
    {
        var host = RealmTlsFixture.HostName(realm);
        await using var client = await RawTurnClient.TlsAsync(fixture.TlsEndPoint, host, fixture.Authority);
        using var expected = fixture.CurrentCertificate(realm);

        Assert.Equal(expected.Thumbprint, client.PresentedCertificate!.Thumbprint);
        Assert.Equal(host, client.PresentedCertificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.DnsName, false));
        var challenge = await client.RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false);
        Assert.Equal(401, challenge.ErrorCode);
        Assert.Equal(realm, challenge.Realm);
    }

    [Theory]
    [InlineData(RealmTlsFixture.First)]
    [InlineData(RealmTlsFixture.Second)]
    public async Task Chromium_StoredUserOfEachRealm_OverTurnsByTheRealmsHostName(string realm)
    {
        // The user exists in this realm only: it allocates because SNI made the relay offer (and look it up in) this realm.
        var user = RealmTlsFixture.UserOf(realm);
        var url = $"turns:{RealmTlsFixture.HostName(realm)}:{fixture.TlsPort}?transport=tcp";

        await ConnectAsync(url, user, RealmTlsFixture.UserPassword);

        Assert.True(await UsageRecordedAsync(realm, user), $"no usage of {user} recorded in {realm}");
    }

    [Theory]
    [InlineData(RealmTlsFixture.First)]
    [InlineData(RealmTlsFixture.Second)]
    public async Task Chromium_VendedTurnsCredentialsOfEachRealm_OnTheRealmsHostName(string realm)
    {
        var label = "visitor-tls";
        var response = await fixture.Api.PostAsJsonAsync($"api/v1/realms/{realm}/ice-servers", new { ttl = 600, label, turns = true });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        var server = JsonDocument.Parse(body).RootElement.GetProperty("iceServers").EnumerateArray().Single();
        var username = server.GetProperty("username").GetString()!;
        var urls = server.GetProperty("urls").EnumerateArray().Select(u => u.GetString()!).ToList();
        var url = $"turns:{RealmTlsFixture.HostName(realm)}:{fixture.TlsPort}?transport=tcp";
        Assert.Contains(url, urls);
        Assert.EndsWith($":{label}@{realm}", username, StringComparison.Ordinal);

        await ConnectAsync(url, username, server.GetProperty("credential").GetString()!);

        Assert.True(await UsageRecordedAsync(realm, label), $"no usage of {label} recorded in {realm}");
    }

    [Fact]
    public async Task RawClient_OriginOfTheSecondRealm_IsOfferedIt_AllocatesWithItsUser_AndIsRefusedWithTheDefaultRealm()
    {
        await using var client = RawTurnClient.Udp(fixture.UdpEndPoint);
        RawTurnClient.AttributeWriter allocate = (ref StunMessageWriter w) =>
        {
            w.WriteRequestedTransport(17);
            w.WriteAttribute(StunAttributeType.Origin, Encoding.UTF8.GetBytes(RealmTlsFixture.SecondOrigin));
        };

        // The realm directory learns the origin mapping from the database shortly after it was added.
        RawTurnResponse challenge = null!;
        await PollAsync(async () =>
        {
            challenge = await client.RequestAsync(StunMethod.Allocate, allocate, authenticate: false);
            return challenge.Realm == RealmTlsFixture.Second;
        }, "the 401 offers the origin's realm");
        Assert.Equal(401, challenge.ErrorCode);

        // The default realm in REALM with the nonce bound to the second realm: refused, and the second realm offered again.
        (client.Username, client.Password, client.Realm, client.Nonce) = (RealmTlsFixture.UserOf(RealmTlsFixture.Second), RealmTlsFixture.UserPassword, fixture.DefaultRealm, challenge.Nonce);
        var refused = await client.RequestAsync(StunMethod.Allocate, allocate);
        Assert.Equal(401, refused.ErrorCode);
        Assert.Equal(RealmTlsFixture.Second, refused.Realm);

        client.Realm = RealmTlsFixture.Second;
        var allocated = await client.RequestAsync(StunMethod.Allocate, allocate);
        Assert.Equal(0, allocated.ErrorCode);
        Assert.NotNull(allocated.RelayedAddress);
        Assert.Contains(fixture.RelayState.GetSnapshot().Allocations,
            a => a.RelayedAddress.Equals(allocated.RelayedAddress) && a.Realm == RealmTlsFixture.Second && a.Username == client.Username);
        Assert.Equal(0, (await client.RequestAsync(StunMethod.Refresh, (ref StunMessageWriter w) => w.WriteLifetime(0))).ErrorCode);
    }

    [Fact]
    public async Task CertificateReplacedOnDisk_HeldTlsAllocationGoesOn_AndTheNextHandshakePresentsTheNewCertificate()
    {
        const string realm = RealmTlsFixture.First;
        var host = RealmTlsFixture.HostName(realm);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peerEndPoint = (IPEndPoint)peer.LocalEndPoint!;
        var peerAddress = TransportAddress.FromIPEndPoint(peerEndPoint);

        await using var held = await RawTurnClient.TlsAsync(fixture.TlsEndPoint, host, fixture.Authority);
        var before = held.PresentedCertificate!.Thumbprint;
        (held.Username, held.Password) = (RealmTlsFixture.UserOf(realm), RealmTlsFixture.UserPassword);
        var allocation = await held.AuthenticatedAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17));
        Assert.Equal(0, allocation.ErrorCode);
        Assert.Equal(realm, held.Realm);
        Assert.Contains(fixture.RelayState.GetSnapshot().Allocations, a => a.RelayedAddress.Equals(allocation.RelayedAddress) && a.Realm == realm);
        Assert.Equal(0, (await held.RequestAsync(StunMethod.CreatePermission, (ref StunMessageWriter w) => w.WriteXorAddress(StunAttributeType.XorPeerAddress, peerAddress))).ErrorCode);
        await held.SendIndicationAsync(peerEndPoint, [1, 2, 3]);
        Assert.Equal(allocation.RelayedAddress, await PeerReceiveAsync(peer, [1, 2, 3]));

        using var renewed = fixture.RenewCertificate(realm);
        Assert.NotEqual(before, renewed.Thumbprint);
        var clock = Stopwatch.StartNew();
        await PollAsync(async () =>
        {
            await using var next = await RawTurnClient.TlsAsync(fixture.TlsEndPoint, host, fixture.Authority);
            return next.PresentedCertificate!.Thumbprint == renewed.Thumbprint;
        }, "a new handshake presents the renewed certificate");
        output.WriteLine($"renewed certificate presented after {clock.ElapsedMilliseconds} ms");

        // The allocation made over the old certificate's connection goes on: it refreshes and relays.
        var refresh = await held.AuthenticatedAsync(StunMethod.Refresh, (ref StunMessageWriter w) => w.WriteLifetime(600));
        Assert.Equal(0, refresh.ErrorCode);
        await held.SendIndicationAsync(peerEndPoint, [4, 5, 6]);
        Assert.Equal(allocation.RelayedAddress, await PeerReceiveAsync(peer, [4, 5, 6]));
        Assert.Equal(0, (await held.RequestAsync(StunMethod.Refresh, (ref StunMessageWriter w) => w.WriteLifetime(0))).ErrorCode);
    }

    private async Task ConnectAsync(string url, string username, string credential)
    {
        var browser = await fixture.BrowserAsync();
        var result = await browser.ConnectAsync(url, username, credential, Messages, TimeSpan.FromSeconds(20));
        output.WriteLine($"{url} {username}: {result}");
        Assert.True(result.Opened, $"{url}: {result}");
        Assert.Equal(Messages, result.Echoed);
        Assert.True(result.IsRelayPair, result.ToString());
        Assert.Equal("tls", result.LocalRelayProtocol);
    }

    // The browsers' allocations are gone once the page closed them, so their realm is read from the usage recorded for them.
    private async Task<bool> UsageRecordedAsync(string realm, string name)
    {
        var from = DateTimeOffset.UtcNow.AddHours(-1);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            await fixture.Get<UsageRecorder>().FlushAsync(CancellationToken.None);
            var totals = await fixture.Get<UsageReports>().TopUsersAsync(AdminActor.System, realm, from, DateTimeOffset.UtcNow.AddMinutes(2), 100, CancellationToken.None);
            if (totals.Any(t => t.Realm == realm && t.Name is not null && t.Name.Contains(name, StringComparison.Ordinal) && t.BytesIn > 0)) return true;
            await Task.Delay(250);
        }
        return false;
    }

    private static async Task<IPEndPoint> PeerReceiveAsync(Socket peer, byte[] expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[2048];
        var result = await peer.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        Assert.Equal(expected, buffer[..result.ReceivedBytes]);
        return (IPEndPoint)result.RemoteEndPoint;
    }

    private static async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > DirectoryRefresh) Assert.Fail($"{what}: still not the case after {clock.ElapsedMilliseconds} ms");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task RealmsPage_ListsEachPresentedCertificate_WithItsHostNamesAndExpiry()
    {
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new Microsoft.Playwright.BrowserNewContextOptions { BaseURL = fixture.PortalAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await Admin.E2E.Tests.Portal.PortalPages.SignInAsync(page, "admin", Admin.E2E.Tests.Hosting.AppFixtureBuilder.DefaultAdminPassword);
        await Admin.E2E.Tests.Portal.PortalPages.OpenAsync(page, "realms");

        var rows = page.GetByTestId("tls-certificate-row");
        await Microsoft.Playwright.Assertions.Expect(rows).ToHaveCountAsync(3); // the default and one per realm
        var text = await page.GetByTestId("tls-certificates").InnerTextAsync();
        output.WriteLine(text);
        foreach (var realm in new[] { RealmTlsFixture.First, RealmTlsFixture.Second })
        {
            var certificate = fixture.CurrentCertificate(realm);
            Assert.Contains(RealmTlsFixture.HostName(realm), text, StringComparison.Ordinal);
            Assert.Contains(certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("self-signed", text, StringComparison.Ordinal); // all three come from the test CA
    }
}
