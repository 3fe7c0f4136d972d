using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary>What every verb needs: where to write, and the configuration overrides from the command line.</summary>
public sealed class CliContext(TextWriter output, TextWriter error, IReadOnlyList<string> configurationArgs)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>"--Section:Key=value" overrides, passed to .NET configuration.</summary>
    public IReadOnlyList<string> ConfigurationArgs { get; } = configurationArgs;

    /// <summary>Changes from the command line are audited as "cli:&lt;operating-system user&gt;".</summary>
    public AdminActor Actor { get; } = AdminActor.CommandLine(Environment.UserName);
}
