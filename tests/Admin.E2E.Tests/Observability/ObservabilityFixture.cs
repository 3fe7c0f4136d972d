using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Admin.Data.Administration;
using Admin.E2E.Tests.Hosting;
using Admin.E2E.Tests.Relay;
using Turn.Protocol;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Observability;

/// <summary>
/// `turnstone serve` as an operator runs it for monitoring: TLS on (a certificate from a test CA, so the expiry gauge
/// has a series), the metrics listener with a bearer token, a node name, and a realm with one user. Once started, a
/// little real traffic goes through it (a malformed datagram, a wrong password, an allocation that is ended), so the
/// request, failure and lifetime series exist on a scrape as they would on a node in service.
/// </summary>
public sealed class ObservabilityFixture : IAsyncLifetime
{
    public const string Realm = "observability.test";
    public const string User = "watcher";
    public const string Password = "observe-Passw0rd";
    public const string Node = "observability-node";
    public const string MetricsToken = "observability-metrics-token-0123";

    private readonly TestCertificateAuthority _authority = new("Turnstone Observability Test CA");

    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await new AppFixtureBuilder("observability")
            .WithRelayRealm(Realm)
            .WithTls(_authority)
            .WithAppConfiguredKestrel()
            .WithMetricsListener()
            .With("Metrics:BearerToken", MetricsToken)
            .With("Usage:Node", Node)
            .StartAsync();
        await App.Get<RealmAdministration>().AddAsync(AdminActor.System, Realm, "observability", CancellationToken.None);
        await App.Get<UserAdministration>().AddAsync(AdminActor.System, Realm, User, Password, CancellationToken.None);
        await DriveTrafficAsync();
    }

    /// <summary>The metrics listener's exposition text, as Prometheus gets it.</summary>
    public async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{App.MetricsPort}/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private async Task DriveTrafficAsync()
    {
        // A portal request (the HTTP server metrics), then relay traffic.
        using (var http = new HttpClient { BaseAddress = App.BaseAddress })
        {
            (await http.GetAsync("api/v1/ping")).EnsureSuccessStatusCode();
        }
        var server = new IPEndPoint(IPAddress.Loopback, App.TurnPort);
        using (var junk = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            // Neither STUN (first two bits 00) nor ChannelData (01).
            await junk.SendToAsync(Enumerable.Repeat((byte)0xFF, 48).ToArray(), SocketFlags.None, server);
        }

        await using (var wrong = RawTurnClient.Udp(server))
        {
            (wrong.Username, wrong.Password) = (User, "not-the-password");
            var refused = await wrong.AuthenticatedAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17));
            if (refused.ErrorCode != 401) throw new InvalidOperationException($"a wrong password got {refused.ErrorCode}, not 401");
        }

        await using var client = RawTurnClient.Udp(server);
        (client.Username, client.Password) = (User, Password);
        var allocated = await client.AuthenticatedAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17));
        if (allocated.ErrorCode != 0) throw new InvalidOperationException($"Allocate got {allocated.ErrorCode}");
        var ended = await client.RequestAsync(StunMethod.Refresh, (ref StunMessageWriter w) => w.WriteLifetime(0));
        if (ended.ErrorCode != 0) throw new InvalidOperationException($"Refresh 0 got {ended.ErrorCode}");
    }

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        _authority.Dispose();
    }
}
