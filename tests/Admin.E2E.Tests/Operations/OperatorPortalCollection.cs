namespace Admin.E2E.Tests.Operations;

/// <summary>
/// One <see cref="OperatorPortalFixture"/> for the operator page tests. Not in parallel with other collections: the
/// ICE test measures round trips and throughput, and the dashboard judges live figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OperatorPortalCollection : ICollectionFixture<OperatorPortalFixture>
{
    public const string Name = "operator portal";
}
