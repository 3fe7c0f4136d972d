using System.Globalization;
using System.Net;
using System.Text.Json;
using Admin.Web.Live;
using Microsoft.Extensions.DependencyInjection;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Sessions;

/// <summary>
/// A real Prometheus server (Debian's /usr/bin/prometheus, own config and data directory, started and stopped by
/// PID here) scrapes the metrics listener while aioice relays traffic.
/// </summary>
[Collection(LiveStackCollection.Name)]
public sealed class PrometheusScrapeTests(LiveStackFixture stack)
{
    [Fact]
    public async Task Prometheus_ScrapesDuringRelayedTraffic_UpAndRelayedBytesRising()
    {
        using var client = await AioiceHoldSession.StartAsync(stack.Target("bob"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(60));
        Assert.True(client.IsRunning, "aioice did not get its allocation up");
        // The relay itself sees bob's traffic before Prometheus is asked about it.
        var feed = stack.Services.GetRequiredService<LiveRelayFeed>();
        await Eventually.HoldsAsync(() => Task.FromResult(feed.Current.Sessions.Any(s => s.Allocation.Username == "bob" && s.Allocation.BytesFromClient > 0)),
            () => $"the relay saw no traffic from bob; client running: {client.IsRunning}");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        // The metrics listener serves the exposition format, without user names; the portal's port does not serve it.
        var text = await http.GetStringAsync($"http://127.0.0.1:{stack.MetricsPort}/metrics");
        Assert.Contains("turn_relay_bytes", text, StringComparison.Ordinal);
        Assert.Contains("turn_allocations_active", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bob", text, StringComparison.Ordinal);
        Assert.DoesNotContain(LiveStackFixture.Realm, text, StringComparison.Ordinal);
        // The Grafana dashboard's queries use these names (deploy/grafana/dashboards/turnstone.json).
        var dashboard = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy/grafana/dashboards/turnstone.json"));
        foreach (var metric in new[] { "turn_allocations_active", "turn_permissions_active", "turn_channels_active", "turn_relay_bytes_total", "turn_relay_packets_total", "turn_relay_dropped_total", "turn_requests_total", "turnstone_usage_backlog" })
        {
            Assert.Contains(metric, dashboard, StringComparison.Ordinal);
            Assert.Contains("\n" + metric, text, StringComparison.Ordinal);
        }
        var portal = await http.GetAsync(new Uri(stack.BaseAddress, "metrics"));
        Assert.DoesNotContain("turn_relay_bytes", await portal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{stack.MetricsPort}/")).StatusCode);

        var work = Directory.CreateTempSubdirectory("turnstone-prometheus-");
        try
        {
            var port = FreePort.TcpAndUdp();
            var config = Path.Combine(work.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 2s
                  scrape_timeout: 2s
                  evaluation_interval: 2s
                scrape_configs:
                  - job_name: turnstone
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["127.0.0.1:{stack.MetricsPort}"]
                """);
            using var prometheus = ExternalProcess.Start("/usr/bin/prometheus",
            [
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(work.FullName, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
            ]);
            var api = new Uri($"http://127.0.0.1:{port}/api/v1/query");

            double? up = null;
            await Eventually.HoldsAsync(async () => (up = await QueryAsync(http, api, "up{job=\"turnstone\"}")) == 1, () => $"up never 1 (last {up}); prometheus: {prometheus.StandardError[^Math.Min(2000, prometheus.StandardError.Length)..]}");

            // max_over_time rides over a scrape that timed out on a loaded machine (which marks the series stale
            // and would make an instant query come back empty) while still rising with the counter.
            const string bytes = "sum(max_over_time(turn_relay_bytes_total{job=\"turnstone\",direction=\"to_peer\"}[1m]))";
            double? first = null;
            await Eventually.HoldsAsync(async () => (first = await QueryAsync(http, api, bytes)) > 0,
                () => $"no relayed bytes scraped (last {first}); client running: {client.IsRunning}; metrics now: {RelayedBytesLines(http)}");
            // The rise is judged on fresh traffic from a second client: the first one may have ended its hold on a
            // busy machine (it stops at the first failed Refresh), which says nothing about the scrape.
            using var second = await AioiceHoldSession.StartAsync(stack.Target("bob"), "127.0.0.1", stack.Peer.Port, TimeSpan.FromSeconds(40));
            Assert.True(second.IsRunning, "the second aioice client did not get its allocation up");
            double? later = null;
            await Eventually.HoldsAsync(async () => (later = await QueryAsync(http, api, bytes)) > first,
                () => $"relayed bytes did not rise ({first} then {later}); clients running: {client.IsRunning}, {second.IsRunning}; metrics now: {RelayedBytesLines(http)}");
            Assert.True(later > first);
            second.Stop();
            await second.WaitAsync();
        }
        finally
        {
            client.Stop();
            await client.WaitAsync();
            work.Delete(recursive: true);
        }
    }

    private string RelayedBytesLines(HttpClient http)
    {
        var text = http.GetStringAsync($"http://127.0.0.1:{stack.MetricsPort}/metrics").GetAwaiter().GetResult();
        return string.Join(" | ", text.Split('\n').Where(l => l.StartsWith("turn_relay_bytes", StringComparison.Ordinal)));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Admin.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Admin.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<double?> QueryAsync(HttpClient http, Uri api, string query)
    {
        try
        {
            using var response = await http.GetAsync($"{api}?query={Uri.EscapeDataString(query)}");
            if (!response.IsSuccessStatusCode) return null;
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var result = json.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() == 0) return null;
            return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return null; // Prometheus still starting
        }
    }
}
