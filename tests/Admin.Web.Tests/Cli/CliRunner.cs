using Admin.Web.Cli;

namespace Admin.Web.Tests.Cli;

/// <summary>Runs the turnstone command line in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync("", args);

    /// <summary>Runs with <paramref name="input"/> as standard input (not a terminal: no prompt).</summary>
    public static async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        using var reader = new StringReader(input);
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await TurnstoneCli.RunAsync(args, reader, output, error, canPrompt: false, timeout.Token);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs a verb against the given database.</summary>
    public static Task<CliResult> RunWithDatabaseAsync(string connectionString, params string[] args) =>
        RunAsync([.. args, $"--ConnectionStrings:Admin={connectionString}"]);

    /// <summary>Runs a verb against the given database with <paramref name="input"/> on standard input.</summary>
    public static Task<CliResult> RunWithDatabaseAndInputAsync(string connectionString, string input, params string[] args) =>
        RunWithInputAsync(input, [.. args, $"--ConnectionStrings:Admin={connectionString}"]);
}

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}; stdout: {Out}; stderr: {Error}";
}
