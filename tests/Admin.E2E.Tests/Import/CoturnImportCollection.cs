namespace Admin.E2E.Tests.Import;

/// <summary>One served turnstone on an imported coturn database, shared by the import relay tests and the live CLI verbs.</summary>
[CollectionDefinition(Name)]
public sealed class CoturnImportCollection : ICollectionFixture<CoturnImportedServer>
{
    public const string Name = "Coturn import server";
}
