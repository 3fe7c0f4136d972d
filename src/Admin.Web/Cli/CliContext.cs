using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary>What every verb needs: where to read and write, and the configuration overrides from the command line.</summary>
public sealed class CliContext(TextReader input, TextWriter output, TextWriter error, bool canPrompt)
{
    public CliContext(TextWriter output, TextWriter error)
        : this(TextReader.Null, output, error, canPrompt: false)
    {
    }

    /// <summary>Standard input: --password-stdin, --secret-stdin and "--file -" read it.</summary>
    public TextReader In { get; } = input;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True when standard input is a terminal: a missing password is asked for at a prompt that does not echo.</summary>
    public bool CanPrompt { get; } = canPrompt;

    /// <summary>"--Section:Key=value" overrides, passed to .NET configuration.</summary>
    /// <remarks>Set once, after the verbs are built: splitting needs their option names.</remarks>
    public IReadOnlyList<string> ConfigurationArgs { get; internal set; } = [];

    /// <summary>Changes from the command line are audited as "cli:&lt;operating-system user&gt;".</summary>
    public AdminActor Actor { get; } = AdminActor.CommandLine(Environment.UserName);
}
