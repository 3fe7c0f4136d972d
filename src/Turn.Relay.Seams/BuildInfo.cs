using System.Reflection;

namespace Turn.Relay.Seams;

/// <summary>
/// The version of this build, read once from the assembly's informational version, which the SDK makes from
/// <c>Version</c> in Directory.Build.props plus <c>+commit</c> when built from a git checkout. Shown by
/// <c>turnstone --version</c>, the ping endpoint, the portal, the node registry and the build-info metric.
/// </summary>
public static class BuildInfo
{
    private static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The release version, e.g. <c>0.13.0</c>.</summary>
    public static string Version { get; } = Informational.Split('+')[0];

    /// <summary>The git commit the build was made from, or empty when unknown.</summary>
    public static string Commit { get; } = Informational.Contains('+') ? Informational[(Informational.IndexOf('+') + 1)..] : "";
}
