using System.Diagnostics;

namespace Admin.Web.Tests.Deployment;

/// <summary>
/// No Docker engine runs on the build machines, but Debian's docker-compose validates the stack
/// file without one, which catches schema errors, bad interpolation and missing services.
/// </summary>
public sealed class ComposeFileTests
{
    [Fact]
    public async Task ComposeConfig_WithRequiredSecrets_IsValid()
    {
        var (code, output) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = "compose-test", ["GRAFANA_ADMIN_PASSWORD"] = "compose-test" });

        Assert.True(code == 0, $"docker-compose config failed ({code}): {output}");
    }

    [Fact]
    public async Task ComposeConfig_WithoutGrafanaPassword_RefusesToStart()
    {
        // Grafana would otherwise come up with admin/admin.
        var (code, output) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = "compose-test", ["GRAFANA_ADMIN_PASSWORD"] = null });

        Assert.NotEqual(0, code);
        Assert.Contains("GRAFANA_ADMIN_PASSWORD", output);
    }

    [Fact]
    public async Task Grafana_ProvisionsPrometheusAndTheDashboard_MetricsListenerReachableFromPrometheus()
    {
        var (code, output) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = "compose-test", ["GRAFANA_ADMIN_PASSWORD"] = "compose-test" }, quiet: false);
        Assert.True(code == 0, output);
        Assert.Contains("grafana/grafana:", output);
        Assert.Contains("/etc/grafana/provisioning", output);
        Assert.Contains("/etc/prometheus/rules", output); // the alert rules reach the compose Prometheus
        Assert.Contains("Metrics__ListenAddress: 0.0.0.0", output);

        var root = RepositoryRoot();
        var datasource = File.ReadAllText(Path.Combine(root, "deploy/grafana/provisioning/datasources/prometheus.yml"));
        Assert.Contains("url: http://prometheus:9090", datasource);
        Assert.Contains("uid: turnstone-prometheus", datasource);
        Assert.Contains("path: /var/lib/grafana/dashboards", File.ReadAllText(Path.Combine(root, "deploy/grafana/provisioning/dashboards/turnstone.yml")));

        using var dashboard = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "deploy/grafana/dashboards/turnstone.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.GetProperty("type").GetString() != "row")
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        Assert.True(expressions.Count >= 10);
        // The dashboard picks its data source by variable (portable to any Grafana); provisioning makes this one the default.
        Assert.All(dashboard.RootElement.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row"),
            p => Assert.Equal("${datasource}", p.GetProperty("datasource").GetProperty("uid").GetString()));
        Assert.Contains("isDefault: true", datasource);
        foreach (var metric in new[] { "turn_allocations_active", "turn_relay_bytes_total", "turn_requests_total", "turn_auth_failures_total", "turn_allocation_duration_seconds_bucket" })
            Assert.Contains(expressions, e => e.Contains(metric, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ComposeConfig_WithoutDatabasePassword_RefusesToStart()
    {
        // A stack must never come up with a default database password.
        var (code, output) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = null, ["GRAFANA_ADMIN_PASSWORD"] = "compose-test" });

        Assert.NotEqual(0, code);
        Assert.Contains("POSTGRES_PASSWORD", output);
    }

    [Fact]
    public async Task ComposeConfig_WithoutMetricsToken_RefusesToStart()
    {
        // The metrics listener is reachable from the containers' network: it must never come up without a token.
        var (code, output) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = "compose-test", ["GRAFANA_ADMIN_PASSWORD"] = "compose-test", ["TURNSTONE_METRICS_TOKEN"] = null });

        Assert.NotEqual(0, code);
        Assert.Contains("TURNSTONE_METRICS_TOKEN", output);
    }

    [Fact]
    public async Task Ports_PortalMetricsPrometheusAndGrafanaOnLoopbackOnly_TurnOnEveryInterface()
    {
        var (code, output) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = "compose-test", ["GRAFANA_ADMIN_PASSWORD"] = "compose-test" }, quiet: false);
        Assert.True(code == 0, output);

        foreach (var port in new[] { "8080", "9641", "9090", "3000" })
        {
            Assert.Contains($"- 127.0.0.1:{port}:{port}/tcp", output);
            // The long form ("published: N") is what compose prints for a port published on every interface.
            Assert.DoesNotContain($"published: {port}\n", output.ReplaceLineEndings("\n"));
        }
        Assert.Contains("published: 3478", output);
        Assert.Contains("published: 5349", output);
        Assert.Contains($"Metrics__BearerToken: {MetricsToken}", output);
        Assert.Contains($"TURNSTONE_METRICS_TOKEN: {MetricsToken}", output);
    }

    [Fact]
    public async Task SecondRelayNode_SharesTheDatabase_OwnNodeNameAndPorts_ClusterKeyRequired()
    {
        var (code, output) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = "compose-test", ["GRAFANA_ADMIN_PASSWORD"] = "compose-test" }, quiet: false);
        Assert.True(code == 0, output);
        Assert.Contains("turnstone-2:", output);
        Assert.Contains("Usage__Node: turnstone-1", output);
        Assert.Contains("Usage__Node: turnstone-2", output);
        Assert.Equal(2, CountOf(output, $"Cluster__Key: {ClusterKey}"));
        Assert.Equal(2, CountOf(output, "Host=postgres;Port=5432;Database=turnstone"));
        Assert.Contains("published: 3479", output);
        Assert.Contains("127.0.0.1:8081:8080", output);
        Assert.Contains("\"turnstone-2:9641\"", File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy/prometheus/prometheus.yml")));

        var (refused, message) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = "compose-test", ["GRAFANA_ADMIN_PASSWORD"] = "compose-test", ["TURNSTONE_CLUSTER_KEY"] = null });
        Assert.NotEqual(0, refused);
        Assert.Contains("TURNSTONE_CLUSTER_KEY", message);
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    [Fact]
    public async Task PrometheusConfig_ScrapesWithTheTokenFileComposeWrites()
    {
        var root = RepositoryRoot();
        var config = File.ReadAllText(Path.Combine(root, "deploy/prometheus/prometheus.yml"));
        Assert.Contains("credentials_file: /prometheus/metrics-token", config);
        var (_, compose) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = "compose-test", ["GRAFANA_ADMIN_PASSWORD"] = "compose-test" }, quiet: false);
        Assert.Contains("> /prometheus/metrics-token", compose);

        // promtool accepts the file once the token file exists (it checks that it does).
        var work = Directory.CreateTempSubdirectory("turnstone-promtool-");
        try
        {
            var token = Path.Combine(work.FullName, "metrics-token");
            await File.WriteAllTextAsync(token, MetricsToken);
            var copy = Path.Combine(work.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(copy, config.Replace("/prometheus/metrics-token", token, StringComparison.Ordinal));
            using var promtool = Process.Start(new ProcessStartInfo("promtool", ["check", "config", copy]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
            await promtool.WaitForExitAsync();
            Assert.True(promtool.ExitCode == 0, text);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void Dockerignore_KeepsSecretsHistoryAndBuildOutputOutOfTheContext()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), ".dockerignore")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        foreach (var pattern in new[] { ".data", "**/.data", ".git", "**/bin", "**/obj", "**/TestResults" }) Assert.Contains(pattern, lines);
    }

    [Fact]
    public void Dockerfile_RunsAsNonRootUser()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "Dockerfile"));

        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotEqual("USER root", user.Trim());
        Assert.Contains(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal) && l.Contains(" AS build", StringComparison.Ordinal));
    }

    private const string MetricsToken = "compose-test-metrics-token";

    private const string ClusterKey = "compose-test-cluster-key-0123456789abcdef";

    private static async Task<(int Code, string Output)> RunComposeConfigAsync(Dictionary<string, string?> environment, bool quiet = true)
    {
        // The stack requires a metrics token; a test that checks the refusal sets it to null.
        environment.TryAdd("TURNSTONE_METRICS_TOKEN", MetricsToken);
        // And a cluster key, as it has two relay nodes; a test that checks the refusal sets it to null.
        environment.TryAdd("TURNSTONE_CLUSTER_KEY", ClusterKey);
        var start = new ProcessStartInfo("docker-compose", quiet ? ["-f", "docker-compose.yml", "config", "-q"] : ["-f", "docker-compose.yml", "config"])
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker-compose did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
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
