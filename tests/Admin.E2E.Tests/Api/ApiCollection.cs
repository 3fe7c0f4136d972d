namespace Admin.E2E.Tests.Api;

/// <summary>The API test classes share one running host (starting one takes seconds); their data never overlaps.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
