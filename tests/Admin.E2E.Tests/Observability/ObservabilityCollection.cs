namespace Admin.E2E.Tests.Observability;

/// <summary>One `turnstone serve` for the build-info, alert-rule and dashboard tests.</summary>
[CollectionDefinition(Name)]
public sealed class ObservabilityCollection : ICollectionFixture<ObservabilityFixture>
{
    public const string Name = "Observability";
}
