using System.Globalization;
using System.Text.Json;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// A legitimate client during a flood: aioice (python3-aioice) running allocate + refresh + delete cycles one after
/// another in one process (legit_cycles.py next to the tests), each bounded by a cycle timeout.
/// </summary>
internal static class LegitimateCycles
{
    public const string ScriptName = "legit_cycles.py";

    /// <summary>A cycle that takes longer than this counts as failed (a user would have given up).</summary>
    public static readonly TimeSpan CycleTimeout = TimeSpan.FromSeconds(3);

    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "Hostile", ScriptName);

    public static async Task<CycleResult> RunAsync(TurnServerTarget server, TimeSpan duration, int maxCycles = 1000)
    {
        string[] arguments =
        [
            ScriptPath,
            "--host", server.Host,
            "--port", server.Port.ToString(CultureInfo.InvariantCulture),
            "--user", server.User,
            "--password", server.Password,
            "--duration", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--max-cycles", maxCycles.ToString(CultureInfo.InvariantCulture),
            "--cycle-timeout", CycleTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ];
        // The script stops starting cycles after `duration`; the last one may take up to a cycle timeout more.
        var limit = duration + CycleTimeout + TimeSpan.FromSeconds(15);
        var process = await ExternalProcess.RunAsync(AioiceTurnClient.Python, arguments, limit);
        var json = process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"{ScriptName} printed no JSON (exit {process.ExitCode}, timed out: {process.TimedOut}): {process.Output}");
        return JsonSerializer.Deserialize<CycleResult>(json) ?? throw new InvalidOperationException($"{ScriptName} printed null");
    }
}
