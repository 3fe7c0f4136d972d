using System.Diagnostics;

namespace Admin.Web.Tests.Import;

/// <summary>
/// Debian's coturn tools (scripts/install-deps.sh coturn), run to make real coturn input: turnadmin writes the SQLite
/// user database exactly as a coturn install has it.
/// </summary>
internal static class CoturnTools
{
    public const string TurnAdmin = "/usr/bin/turnadmin";

    /// <summary>Runs turnadmin with the arguments; fails the test when it does not exit 0 within 30 s. Returns stdout.</summary>
    public static async Task<string> TurnAdminAsync(params string[] arguments)
    {
        Assert.True(File.Exists(TurnAdmin), $"{TurnAdmin} is missing: scripts/install-deps.sh coturn installs it.");
        var start = new ProcessStartInfo(TurnAdmin) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"turnadmin {string.Join(' ', arguments)} exited {process.ExitCode}: {await stdout} {await stderr}");
        return await stdout;
    }

    /// <summary>
    /// A coturn SQLite database in <paramref name="directory"/> made by turnadmin: users alice and bob (-a), a secret
    /// (-s), an origin (-O), realm options (-g), a superuser and a realm admin (-A). Returns its path.
    /// </summary>
    public static async Task<string> MakeDatabaseAsync(string directory, string realm)
    {
        var db = Path.Combine(directory, "turndb");
        await TurnAdminAsync("-a", "-b", db, "-u", "alice", "-r", realm, "-p", "alice-pw");
        await TurnAdminAsync("-a", "-b", db, "-u", "bob", "-r", realm, "-p", "bob-pw");
        await TurnAdminAsync("-s", "db-shared-secret", "-r", realm, "-b", db);
        await TurnAdminAsync("-O", "-b", db, "-o", "https://App.Example.test", "-r", realm);
        await TurnAdminAsync("-g", "-b", db, "-r", realm, "--user-quota", "4", "--total-quota", "40", "--max-bps", "128000");
        await TurnAdminAsync("-A", "-b", db, "-u", "coturnroot", "-p", "coturn-root-pw");
        await TurnAdminAsync("-A", "-b", db, "-u", "coturnrealm", "-r", realm, "-p", "coturn-realm-pw");
        return db;
    }
}
