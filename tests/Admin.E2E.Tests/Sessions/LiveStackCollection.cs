namespace Admin.E2E.Tests.Sessions;

/// <summary>
/// One <see cref="LiveStackFixture"/> shared by the live-view test classes, which then run one after another.
/// Not in parallel with the other collections: their hosts run relay engines with the same meter name in this
/// process, and the Prometheus exporter must see only this host's relay (one relay per process, as in production);
/// these tests also judge live counters, which a machine busy with the other collections makes late.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveStackCollection : ICollectionFixture<LiveStackFixture>
{
    public const string Name = "live stack";
}
