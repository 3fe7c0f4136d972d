using Xunit.Abstractions;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Where the hostile suite records its figures: the test's output, and, when TURNSTONE_HOSTILE_FIGURES names a file,
/// one line appended there per measurement (docs/SECURITY.md's table is filled from it).
/// </summary>
internal static class FiguresLog
{
    public const string FileVariable = "TURNSTONE_HOSTILE_FIGURES";

    private static readonly Lock s_gate = new();

    public static void Write(ITestOutputHelper output, string test, string figures)
    {
        output.WriteLine(figures);
        if (Environment.GetEnvironmentVariable(FileVariable) is not { Length: > 0 } path) return;
        lock (s_gate)
        {
            File.AppendAllText(path, $"{DateTime.UtcNow:O} {test}: {figures}{Environment.NewLine}");
        }
    }
}
