namespace Admin.E2E.Tests.Relay;

/// <summary>
/// The full-stack relay test classes share one co-hosted app and run one after another: on a 2-core machine
/// that keeps the "within a second" checks honest and the run short.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RelayCollection : ICollectionFixture<CohostedRelayFixture>
{
    public const string Name = "Co-hosted relay";
}
