using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// The built `turnstone` program (the apphost the Admin.Web reference copies next to the tests), run as an
/// operator runs it: a child process, the database from ConnectionStrings__Admin in its environment.
/// </summary>
internal sealed class TurnstoneCommandLine(string connectionString)
{
    public static string ProgramPath => Path.Combine(AppContext.BaseDirectory, "turnstone");

    /// <summary>Runs one verb; its exit code and output are the caller's to judge.</summary>
    public async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        if (!File.Exists(ProgramPath)) throw new InvalidOperationException($"{ProgramPath} is missing: the test project must reference src/Admin.Web.");
        return await ExternalProcess.RunAsync(ProgramPath, arguments, TimeSpan.FromSeconds(60), environment: new Dictionary<string, string>
        {
            ["ConnectionStrings__Admin"] = connectionString,
            // Quiet: only the verb's own output.
            ["Logging__LogLevel__Default"] = "Warning",
        });
    }

    /// <summary>Runs one verb that must succeed; returns what it printed on stdout.</summary>
    public async Task<string> RunOkAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        if (result.ExitCode != 0 || result.TimedOut)
        {
            throw new InvalidOperationException($"turnstone {string.Join(' ', arguments)} failed (exit {result.ExitCode}, timed out: {result.TimedOut}): {result.Output}");
        }
        return result.StandardOutput;
    }
}
