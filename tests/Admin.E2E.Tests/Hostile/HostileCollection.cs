namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// The hostile suite runs alone (no other test collection at the same time): a flood takes the machine's cores,
/// and the figures it records would measure the other tests too. Its classes share one served turnstone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileCollection : ICollectionFixture<HostileServerFixture>
{
    public const string Name = "Hostile traffic";

    /// <summary>The trait every hostile test carries: filter with --filter Category=Hostile (or Category!=Hostile).</summary>
    public const string Category = "Hostile";
}
