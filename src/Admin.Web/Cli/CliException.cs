namespace Admin.Web.Cli;

/// <summary>An error the command line reports as one line on stderr, with the given exit code.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
