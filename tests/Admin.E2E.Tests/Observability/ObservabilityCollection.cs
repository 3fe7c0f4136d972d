namespace Admin.E2E.Tests.Observability;

/// <summary>
/// One `turnstone serve` for the build-info, alert-rule and dashboard tests, run alone: an OpenTelemetry meter provider
/// listens to meters by name across the process, so while other fixtures' apps run, this app's scrape also carries
/// their series (a second build_info line, duplicate gauges that Prometheus drops, their failures in its alerts).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservabilityCollection : ICollectionFixture<ObservabilityFixture>
{
    public const string Name = "Observability";
}
