using System.CommandLine;
using System.CommandLine.Invocation;
using Turn.Relay.Seams;

namespace Admin.Web.Cli;

/// <summary><c>turnstone --version</c>: the one version (Directory.Build.props, <see cref="BuildInfo"/>) and the commit when known.</summary>
internal sealed class VersionAction(CliContext context) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        context.Out.WriteLine(BuildInfo.Commit.Length == 0 ? $"turnstone {BuildInfo.Version}" : $"turnstone {BuildInfo.Version} (commit {BuildInfo.Commit})");
        return ExitCodes.Ok;
    }
}
