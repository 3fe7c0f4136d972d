using System.Globalization;
using System.Text.Json;
using Admin.E2E.Tests.Sessions;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Observability;

/// <summary>
/// deploy/prometheus/rules: valid for promtool, its unit tests (deploy/prometheus/tests) pass, every metric it reads is
/// one a real `turnstone serve` exports, and a real Prometheus with the deployed configuration loads the rules and
/// evaluates them against that server without an error, raising only the alert that is true there.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class AlertRuleTests(ObservabilityFixture fixture)
{
    private const string Promtool = "/usr/bin/promtool";

    [Fact]
    public async Task Promtool_CheckRules_Succeeds()
    {
        var result = await ExternalProcess.RunAsync(Promtool, ["check", "rules", .. RuleFiles()], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_RuleUnitTests_Pass()
    {
        var tests = Directory.GetFiles(RepositoryFiles.PathOf("deploy/prometheus/tests"), "*.yml");
        Assert.NotEmpty(tests);

        var result = await ExternalProcess.RunAsync(Promtool, ["test", "rules", .. tests], TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("FAILED", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RuleExpressions_ReadOnlyMetricsARealServerExports()
    {
        var exported = PrometheusText.SampleNames(await fixture.ScrapeAsync());
        var expressions = RuleExpressions().ToList();
        Assert.True(expressions.Count >= 7, $"only {expressions.Count} rules");

        foreach (var expression in expressions)
        {
            foreach (var metric in PrometheusText.MetricNames(expression).Where(m => m != "up")) // up is Prometheus' own
                Assert.True(exported.Contains(metric), $"{metric} (in `{expression}`) is not exported by turnstone serve");
        }
    }

    [Fact]
    public async Task DeployedPrometheus_LoadsTheRules_AndEvaluatesThemOnARealServerWithoutAlarm()
    {
        var work = Directory.CreateTempSubdirectory("turnstone-prometheus-rules-");
        try
        {
            var tokenFile = Path.Combine(work.FullName, "metrics-token");
            await File.WriteAllTextAsync(tokenFile, ObservabilityFixture.MetricsToken);
            var config = Path.Combine(work.FullName, "prometheus.yml");
            // deploy/prometheus/prometheus.yml as compose mounts it; only paths, the targets and the intervals changed (the
            // compose stack's nodes, however many it lists, become the one test server).
            var deployed = await File.ReadAllTextAsync(RepositoryFiles.PathOf("deploy/prometheus/prometheus.yml"));
            deployed = System.Text.RegularExpressions.Regex.Replace(deployed, @"targets: \[[^\]]*\]", "targets: [\"turnstone:9641\"]");
            Assert.Contains("targets: [\"turnstone:9641\"]", deployed, StringComparison.Ordinal);
            await File.WriteAllTextAsync(config, deployed
                .Replace("scrape_interval: 15s", "scrape_interval: 1s", StringComparison.Ordinal)
                .Replace("evaluation_interval: 15s", "evaluation_interval: 1s", StringComparison.Ordinal)
                .Replace("/etc/prometheus/rules/", RepositoryFiles.PathOf("deploy/prometheus/rules") + "/", StringComparison.Ordinal)
                .Replace("/prometheus/metrics-token", tokenFile, StringComparison.Ordinal)
                .Replace("turnstone:9641", $"127.0.0.1:{fixture.App.MetricsPort}", StringComparison.Ordinal));
            var port = FreePort.TcpAndUdp();
            using var prometheus = ExternalProcess.Start("/usr/bin/prometheus",
                [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(work.FullName, "data")}", $"--web.listen-address=127.0.0.1:{port}"]);
            using var http = new HttpClient();
            var api = $"http://127.0.0.1:{port}/api/v1";

            // Every rule evaluated at least twice after a successful scrape, each without an error.
            List<JsonElement> rules = [];
            await Eventually.HoldsAsync(async () =>
            {
                rules = await RulesAsync(http, api);
                return rules.Count > 0 && await UpAsync(http, api) == 1
                    && rules.All(r => r.GetProperty("health").GetString() == "ok" && r.TryGetProperty("lastEvaluation", out var at) && at.GetDateTimeOffset().Year > 2000);
            }, () => $"rules not all evaluated ok: {string.Join("; ", rules.Select(r => $"{r.GetProperty("name")}={r.GetProperty("health")} {(r.TryGetProperty("lastError", out var e) ? e.GetString() : "")}"))}; prometheus: {Tail(prometheus.StandardError)}");
            await Task.Delay(2500);

            Assert.Equal(RuleExpressions().Count(), rules.Count);
            // A healthy, idle node: nothing fires or is pending, except what is true. The test CA's certificate lives
            // 7 days, so the 14-day expiry rule sees it (pending: it waits an hour) and the 2-day rule does not.
            var alerts = await QueryAsync(http, api, "ALERTS");
            var alert = Assert.Single(alerts.EnumerateArray());
            var labels = alert.GetProperty("metric");
            Assert.Equal("TurnstoneCertificateExpiresSoon", labels.GetProperty("alertname").GetString());
            Assert.Equal("pending", labels.GetProperty("alertstate").GetString());
            Assert.Equal("localhost", labels.GetProperty("tls_server_name").GetString());
            // The rules see the real series: the port ratio the exhaustion rule divides has a value.
            var ratio = await QueryAsync(http, api, "turn_relay_ports_used / turn_relay_ports_limit");
            Assert.True(ratio.GetArrayLength() == 1,
                $"port ratio: {ratio}; used: {await QueryAsync(http, api, "turn_relay_ports_used")}; limit: {await QueryAsync(http, api, "turn_relay_ports_limit")}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string[] RuleFiles() => Directory.GetFiles(RepositoryFiles.PathOf("deploy/prometheus/rules"), "*.yml");

    // The rule files' expr: lines (single-line, or the folded block after "expr: |").
    private static IEnumerable<string> RuleExpressions()
    {
        foreach (var file in RuleFiles())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                if (!trimmed.StartsWith("expr:", StringComparison.Ordinal)) continue;
                var value = trimmed["expr:".Length..].Trim();
                if (value != "|")
                {
                    yield return value;
                    continue;
                }
                var indent = lines[i].Length - trimmed.Length;
                var block = new List<string>();
                while (i + 1 < lines.Length && (lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent || lines[i + 1].Trim().Length == 0))
                    block.Add(lines[++i].Trim());
                yield return string.Join(' ', block);
            }
        }
    }

    private static async Task<List<JsonElement>> RulesAsync(HttpClient http, string api)
    {
        try
        {
            using var json = JsonDocument.Parse(await http.GetStringAsync($"{api}/rules"));
            return [.. json.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
                .SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => r.Clone())];
        }
        catch (HttpRequestException)
        {
            return []; // still starting
        }
    }

    private static async Task<double?> UpAsync(HttpClient http, string api)
    {
        try
        {
            var result = await QueryAsync(http, api, "up{job=\"turnstone\"}");
            return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<JsonElement> QueryAsync(HttpClient http, string api, string query)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync($"{api}/query?query={Uri.EscapeDataString(query)}"));
        return json.RootElement.GetProperty("data").GetProperty("result").Clone();
    }

    private static string Tail(string text) => text[^Math.Min(2000, text.Length)..];
}
