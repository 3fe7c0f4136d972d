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
        Assert.Contains("Metrics__ListenAddress: 0.0.0.0", output);

        var root = RepositoryRoot();
        var datasource = File.ReadAllText(Path.Combine(root, "deploy/grafana/provisioning/datasources/prometheus.yml"));
        Assert.Contains("url: http://prometheus:9090", datasource);
        Assert.Contains("uid: turnstone-prometheus", datasource);
        Assert.Contains("path: /var/lib/grafana/dashboards", File.ReadAllText(Path.Combine(root, "deploy/grafana/provisioning/dashboards/turnstone.yml")));

        using var dashboard = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "deploy/grafana/dashboards/turnstone.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        Assert.True(expressions.Count >= 10);
        Assert.All(dashboard.RootElement.GetProperty("panels").EnumerateArray(),
            p => Assert.Equal("turnstone-prometheus", p.GetProperty("datasource").GetProperty("uid").GetString()));
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
    public void Dockerfile_RunsAsNonRootUser()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "Dockerfile"));

        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotEqual("USER root", user.Trim());
        Assert.Contains(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal) && l.Contains(" AS build", StringComparison.Ordinal));
    }

    private static async Task<(int Code, string Output)> RunComposeConfigAsync(Dictionary<string, string?> environment, bool quiet = true)
    {
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
