namespace Admin.E2E.Tests.Cluster;

/// <summary>The functional cluster tests share one three-node cluster and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
    public const string Category = "Cluster";
}
