namespace Admin.E2E.Tests.Cluster;

[CollectionDefinition(Name)]
public sealed class TwoNodeClusterCollection : ICollectionFixture<TwoNodeClusterFixture>
{
    public const string Name = "two-node cluster";
}
