namespace Admin.E2E.Tests.Observability;

/// <summary>Files of the repository the tests run from (deploy/, Directory.Build.props).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Admin.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Admin.sln not found above " + AppContext.BaseDirectory);
    }
}
