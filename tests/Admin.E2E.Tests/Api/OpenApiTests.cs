using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.E2E.Tests.Api;

/// <summary>The OpenAPI document: served without a token at /openapi/v1.json and listing every API endpoint.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(ApiFixture api)
{
    [Fact]
    public async Task OpenApiDocument_IsAnonymousAndListsEveryApiEndpoint()
    {
        using var client = api.Anonymous();
        var response = await client.GetAsync("openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths");

        // Every endpoint the app really routes under /api/v1 (from the routing table, not a hand-kept list).
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Path: Normalize(e.RoutePattern.RawText!), Method: m)))
            .ToList();
        Assert.True(endpoints.Count >= 39, $"only {endpoints.Count} API endpoints found");
        foreach (var (path, method) in endpoints)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the OpenAPI document");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is missing from the OpenAPI document");
            Assert.True(operation.TryGetProperty("responses", out _), $"{method} {path} documents no responses");
        }
        // Only the API is documented, and the bearer scheme is declared.
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/api/v1/", p.Name));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        var vend = paths.GetProperty("/api/v1/realms/{realm}/ice-servers").GetProperty("post");
        Assert.True(vend.GetProperty("responses").TryGetProperty("429", out _));
        Assert.True(vend.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }

    // Route templates write "/realms/" for a group's "/" child; OpenAPI drops the trailing slash.
    private static string Normalize(string pattern) => pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
}
