namespace Admin.E2E.Tests.Portal;

/// <summary>The portal management tests share one app, relay and browser (they use distinct realms).</summary>
[CollectionDefinition(Name)]
public sealed class ManagementCollection : ICollectionFixture<ManagementFixture>
{
    public const string Name = "portal-management";
}
