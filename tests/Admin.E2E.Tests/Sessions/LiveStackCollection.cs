namespace Admin.E2E.Tests.Sessions;

/// <summary>One <see cref="LiveStackFixture"/> shared by the live-view test classes, which then run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class LiveStackCollection : ICollectionFixture<LiveStackFixture>
{
    public const string Name = "live stack";
}
