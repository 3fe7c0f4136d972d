namespace Turnstone.TestSupport.Clients;

/// <summary>How a finished client process ended and what it printed.</summary>
public sealed record ProcessResult(int ExitCode, bool TimedOut, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public string Output => StandardError.Length == 0 ? StandardOutput : $"{StandardOutput}\n--- stderr ---\n{StandardError}";
}
