using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Admin.Web.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using System.Net.Sockets;
using Turnstone.TestSupport;

namespace Admin.Web.Tests.Telemetry;

/// <summary>
/// The serve host as an operator runs it (Urls, Metrics:*), on real Kestrel and a real database: the metrics
/// listener with a bearer token, the portal port not serving metrics, and bad settings stopping start-up.
/// </summary>
public sealed class MetricsListenerTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IDisposable
{
    private const string Token = "scrape-token-0123456789";

    // One lease per test (xunit makes an instance per test): free relay ports no other test host holds.
    private readonly PortRange _relayPorts = PortRangeAllocator.Allocate(100);

    public void Dispose() => _relayPorts.Dispose();

    [Fact]
    public async Task BearerToken_RequiredOnTheMetricsListener_PortalPortServesNoMetrics()
    {
        var metricsPort = FreeTcpPort();
        await using var app = TurnstoneHost.CreateWebApplication(Arguments(metricsPort, "--Metrics:BearerToken=" + Token, "--Metrics:Path=/scrape"));
        await app.StartAsync();
        try
        {
            var portal = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single(a => new Uri(a).Port != metricsPort));
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            var scrape = $"http://127.0.0.1:{metricsPort}/scrape";

            var anonymous = await http.GetAsync(scrape);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);

            using var wrong = new HttpRequestMessage(HttpMethod.Get, scrape) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token-at-all") } };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

            using var right = new HttpRequestMessage(HttpMethod.Get, scrape) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
            var ok = await http.SendAsync(right);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var text = await ok.Content.ReadAsStringAsync();
            Assert.Contains("turn_allocations_active", text, StringComparison.Ordinal);
            // Runtime, ASP.NET Core and Npgsql metrics come out too (the database was used by the migrations at start).
            var families = string.Join(' ', text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]));
            Assert.True(families.Contains("dotnet_", StringComparison.Ordinal), families);
            Assert.True(families.Contains("kestrel_", StringComparison.Ordinal) || families.Contains("http_server_", StringComparison.Ordinal), families);
            Assert.True(families.Contains("db_client_", StringComparison.Ordinal), families);

            // Only the scrape path on the metrics port; the portal and its sign-in are not there.
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{metricsPort}/login")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{metricsPort}/metrics")).StatusCode);
            // And the portal's port does not serve metrics (it asks for a sign-in like any page).
            var onPortal = await http.GetAsync(new Uri(portal, "scrape"));
            Assert.NotEqual(HttpStatusCode.OK, onPortal.StatusCode);
            Assert.DoesNotContain("turn_allocations_active", await onPortal.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Health: live and ready (database reachable, TURN listeners bound).
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(portal, "healthz"))).StatusCode);
            var ready = await http.GetAsync(new Uri(portal, "readyz"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("relay-listeners: Healthy", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task CardinalityLimit_FurtherLabelCombinations_AreCountedInTheOverflowSeries()
    {
        var metricsPort = FreeTcpPort();
        await using var app = TurnstoneHost.CreateWebApplication(Arguments(metricsPort, "--Metrics:CardinalityLimit=10"));
        await app.StartAsync();
        try
        {
            var portal = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single(a => new Uri(a).Port != metricsPort));
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            // 6 methods x 3 paths: more (method, status, route) combinations of http.server.request.duration than 10.
            var requests = 0;
            foreach (var method in new[] { "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" })
            {
                foreach (var path in new[] { "login", "no-such-page", "api/v1/realms" })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(portal, path));
                    (await http.SendAsync(request)).Dispose();
                    requests++;
                }
            }

            var text = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
            var series = text.Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)).ToList();
            var overflow = series.Where(l => l.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal)).ToList();
            Assert.Single(overflow);
            Assert.True(series.Count - 1 <= 10, string.Join('\n', series));
            // Nothing is lost: every request is counted, in its own series or in the overflow.
            var counted = series.Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            Assert.True(counted >= requests, $"{counted} counted for {requests} requests:\n{string.Join('\n', series)}");
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public void MetricsPortSameAsPortal_RefusedWithTheKeyNamed()
    {
        var port = FreeTcpPort();
        var error = Assert.Throws<OptionsValidationException>(() => TurnstoneHost.CreateWebApplication(
            Arguments(port, $"--urls=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}")));
        Assert.Contains("Metrics:Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadMetricsPath_StopsStartWithTheKeyNamed()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = TurnstoneHost.CreateWebApplication(Arguments(FreeTcpPort(), "--Metrics:Path=metrics"));
            await app.StartAsync();
        });
        Assert.Contains("Metrics:Path", error.Message, StringComparison.Ordinal);
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string[] Arguments(int metricsPort, params string[] extra) =>
    [
        "--ConnectionStrings:Admin=" + database.ConnectionString,
        "--urls=http://127.0.0.1:0",
        "--Metrics:Port=" + metricsPort.ToString(CultureInfo.InvariantCulture),
        "--Turnstone:DataDirectory=" + Path.Combine(Path.GetTempPath(), "turnstone-metrics-tests"),
        "--TURNSTONE_ADMIN_PASSWORD=metrics-test-Passw0rd",
        "--Relay:ListenAddresses:0=127.0.0.1",
        "--Relay:Port=0",
        "--Relay:TlsPort=0",
        "--Relay:MinPort=" + _relayPorts.MinSetting,
        "--Relay:MaxPort=" + _relayPorts.MaxSetting,
        .. extra,
    ];
}
