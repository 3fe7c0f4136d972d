using System.Diagnostics;
using System.Text.Json;

namespace Admin.Web.Tests.Deployment;

/// <summary>
/// deploy/kubernetes validated against the Kubernetes API schemas that the npm package kubernetes-models bundles
/// (tools/k8s-validate; no cluster, no network once installed), plus what the deployment promises: host networking,
/// readiness on /readyz, a draining preStop within the grace period, secrets only through Secrets, no public Service.
/// </summary>
public sealed class KubernetesManifestTests
{
    [Fact]
    public async Task Manifests_ValidAgainstTheKubernetesSchemas()
    {
        var results = await ValidateAsync(Path.Combine(RepositoryRoot(), "deploy/kubernetes"));

        foreach (var kind in new[] { "Namespace", "Secret", "ConfigMap", "DaemonSet", "PodDisruptionBudget", "Service" })
            Assert.Contains(results, r => r.Kind == kind);
        Assert.All(results, r => Assert.True(r.Errors.Count == 0, $"{r.File} {r.Kind}/{r.Name}: {string.Join("; ", r.Errors)}"));
    }

    [Fact]
    public async Task Validator_RejectsAnInvalidManifest()
    {
        // The check itself must be able to fail: a string where the schema wants an integer.
        var copy = Directory.CreateTempSubdirectory("turnstone-k8s-");
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "deploy/kubernetes"), "*.yaml"))
                File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)));
            var daemonSet = Path.Combine(copy.FullName, "relay-daemonset.yaml");
            File.WriteAllText(daemonSet, File.ReadAllText(daemonSet).Replace("terminationGracePeriodSeconds: 600", "terminationGracePeriodSeconds: \"ten minutes\"", StringComparison.Ordinal));

            var results = await ValidateAsync(copy.FullName, expectSuccess: false);

            var failed = Assert.Single(results, r => r.Errors.Count > 0);
            Assert.Equal("DaemonSet", failed.Kind);
            Assert.Contains(failed.Errors, e => e.Contains("terminationGracePeriodSeconds", StringComparison.Ordinal));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public void RelayDaemonSet_HostNetworkReadinessDrainAndSecrets()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy/kubernetes/relay-daemonset.yaml"));

        Assert.Contains("kind: DaemonSet", text);
        Assert.Contains("hostNetwork: true", text);
        Assert.Contains("dnsPolicy: ClusterFirstWithHostNet", text);
        Assert.Contains("path: /readyz", text);
        Assert.Contains("preStop:", text);
        Assert.Contains("/api/v1/relay", text);
        Assert.Contains("call POST /drain", text);
        Assert.Contains("terminationGracePeriodSeconds: 600", text);
        // The preStop wait ends before the kubelet's SIGKILL.
        var configMap = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy/kubernetes/configmap.yaml"));
        Assert.Contains("DRAIN_WAIT_SECONDS: \"570\"", configMap);
        // Passwords, tokens and the cluster key only from Secrets.
        foreach (var name in new[] { "ConnectionStrings__Admin", "TURNSTONE_ADMIN_PASSWORD", "Cluster__Key", "Metrics__BearerToken", "TURNSTONE_DRAIN_TOKEN" })
        {
            var at = text.IndexOf($"- name: {name}\n", StringComparison.Ordinal);
            Assert.True(at >= 0, name);
            Assert.StartsWith("- name: " + name + "\n              valueFrom:\n                secretKeyRef:", text[at..]);
        }
        Assert.Contains("value: \"$(NODE_NAME)\"", text);
    }

    [Fact]
    public void Services_ClusterInternalOnly()
    {
        var directory = Path.Combine(RepositoryRoot(), "deploy/kubernetes");
        var all = string.Join('\n', Directory.GetFiles(directory, "*.yaml").Select(File.ReadAllText));

        Assert.DoesNotContain("type: LoadBalancer", all);
        Assert.DoesNotContain("type: NodePort", all);
        Assert.DoesNotContain("kind: Ingress", all);
        Assert.Contains("type: ClusterIP", File.ReadAllText(Path.Combine(directory, "portal-service.yaml")));
        Assert.Contains("type: ClusterIP", File.ReadAllText(Path.Combine(directory, "metrics-service.yaml")));
    }

    private sealed record Result(string File, string Kind, string? Name, List<string> Errors);

    private static async Task<List<Result>> ValidateAsync(string directory, bool expectSuccess = true)
    {
        var tool = Path.Combine(RepositoryRoot(), "tools/k8s-validate");
        // test.sh installs it (npm ci); a run without test.sh installs it here, from the lock file.
        if (!Directory.Exists(Path.Combine(tool, "node_modules", "kubernetes-models")))
        {
            var (installed, log) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tool);
            Assert.True(installed == 0, log);
        }
        var (code, output) = await RunAsync("node", [Path.Combine(tool, "validate.mjs"), directory], tool);
        Assert.True(expectSuccess ? code == 0 : code == 1, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonSerializer.Deserialize<Result>(l, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!)
            .ToList();
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
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
