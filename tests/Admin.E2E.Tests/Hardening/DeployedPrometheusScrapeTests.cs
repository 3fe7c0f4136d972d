using System.Globalization;
using System.Text.Json;
using Admin.E2E.Tests.Sessions;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Hardening;

/// <summary>
/// deploy/prometheus/prometheus.yml as compose mounts it (only the target and the token file's path changed to this
/// machine's) makes a real Prometheus scrape the token-protected metrics listener: up = 1; with a wrong token, up = 0.
/// </summary>
public sealed class DeployedPrometheusScrapeTests(HardeningFixture fixture) : IClassFixture<HardeningFixture>
{
    [Theory]
    [InlineData(HardeningFixture.MetricsToken, 1)]
    [InlineData("a-wrong-token-of-some-length", 0)]
    public async Task DeployedScrapeConfig_UsesTheBearerToken(string token, double expectedUp)
    {
        var root = RepositoryRoot();
        var deployed = await File.ReadAllTextAsync(Path.Combine(root, "deploy/prometheus/prometheus.yml"));
        var work = Directory.CreateTempSubdirectory("turnstone-prometheus-token-");
        try
        {
            var tokenFile = Path.Combine(work.FullName, "metrics-token");
            await File.WriteAllTextAsync(tokenFile, token);
            var config = Path.Combine(work.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, deployed
                .Replace("scrape_interval: 15s", "scrape_interval: 1s", StringComparison.Ordinal)
                .Replace("/prometheus/metrics-token", tokenFile, StringComparison.Ordinal)
                .Replace("turnstone:9641", $"127.0.0.1:{fixture.App.MetricsPort}", StringComparison.Ordinal));
            var port = FreePort.TcpAndUdp();
            using var prometheus = ExternalProcess.Start("/usr/bin/prometheus",
                [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(work.FullName, "data")}", $"--web.listen-address=127.0.0.1:{port}"]);
            using var http = new HttpClient();
            var api = new Uri($"http://127.0.0.1:{port}/api/v1/query");

            double? up = null;
            await Eventually.HoldsAsync(async () => (up = await QueryAsync(http, api, "up{job=\"turnstone\"}")) is not null,
                () => $"no scrape recorded; prometheus: {prometheus.StandardError[^Math.Min(2000, prometheus.StandardError.Length)..]}");
            // One scrape a second: let a few happen, then the answer is settled.
            await Task.Delay(2500);
            Assert.Equal(expectedUp, await QueryAsync(http, api, "up{job=\"turnstone\"}"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
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

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Admin.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Admin.sln not found above " + AppContext.BaseDirectory);
    }
}
