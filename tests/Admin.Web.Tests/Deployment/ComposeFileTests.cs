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
        var (code, output) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = "compose-test" });

        Assert.True(code == 0, $"docker-compose config failed ({code}): {output}");
    }

    [Fact]
    public async Task ComposeConfig_WithoutDatabasePassword_RefusesToStart()
    {
        // A stack must never come up with a default database password.
        var (code, output) = await RunComposeConfigAsync(new() { ["POSTGRES_PASSWORD"] = null });

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

    private static async Task<(int Code, string Output)> RunComposeConfigAsync(Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("docker-compose", ["-f", "docker-compose.yml", "config", "-q"])
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
