using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary>What every verb needs: where to write, and the configuration overrides from the command line.</summary>
public sealed class CliContext(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>"--Section:Key=value" overrides, passed to .NET configuration.</summary>
    /// <remarks>Set once, after the verbs are built: splitting needs their option names.</remarks>
    public IReadOnlyList<string> ConfigurationArgs { get; internal set; } = [];

    /// <summary>Changes from the command line are audited as "cli:&lt;operating-system user&gt;".</summary>
    public AdminActor Actor { get; } = AdminActor.CommandLine(Environment.UserName);
}
