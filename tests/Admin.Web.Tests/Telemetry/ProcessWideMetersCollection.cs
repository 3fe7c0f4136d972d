namespace Admin.Web.Tests.Telemetry;

/// <summary>
/// Tests that count the series of one host's scrape run alone, after the parallel ones: OpenTelemetry matches meters
/// by name across the whole process, so another test's host, running at the same moment, shows its instruments in
/// this host's scrape too (one process holds one host in production, so only tests see this).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetersCollection
{
    public const string Name = "Process-wide meters";
}
