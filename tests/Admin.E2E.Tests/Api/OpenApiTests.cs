using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.E2E.Tests.Api;

/// <summary>The OpenAPI document: served without a token at /openapi/v1.json, listing every API endpoint with its token requirement.</summary>
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
        // Named, so that a route dropped from the app (and so from the routing table above) still fails here.
        foreach (var (path, method) in Required)
        {
            Assert.Contains((path, method), endpoints);
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method.ToLowerInvariant(), out _), $"{method} {path} is missing from the OpenAPI document");
        }
        foreach (var (path, method) in endpoints)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the OpenAPI document");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is missing from the OpenAPI document");
            Assert.True(operation.TryGetProperty("responses", out _), $"{method} {path} documents no responses");
        }
        // Only the API is documented, and the bearer scheme is declared.
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/api/v1/", p.Name));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        // The token requirement is per operation: every call needs the bearer token except the anonymous ping.
        Assert.False(document.TryGetProperty("security", out _), "a document-wide security requirement would cover /api/v1/ping too");
        foreach (var (path, method) in endpoints)
        {
            var operation = paths.GetProperty(path).GetProperty(method.ToLowerInvariant());
            var anonymous = path == "/api/v1/ping";
            var schemes = operation.TryGetProperty("security", out var security)
                ? security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).ToList()
                : [];
            if (anonymous)
            {
                Assert.Empty(schemes);
                Assert.False(operation.GetProperty("responses").TryGetProperty("401", out _), "ping never answers 401");
            }
            else
            {
                Assert.True(schemes.SequenceEqual(["bearer"]), $"{method} {path} does not require the bearer token");
            }
        }
        using (var ping = await client.GetAsync("api/v1/ping")) Assert.Equal(HttpStatusCode.OK, ping.StatusCode);

        var vend = paths.GetProperty("/api/v1/realms/{realm}/ice-servers").GetProperty("post");
        Assert.True(vend.GetProperty("responses").TryGetProperty("429", out _));
        Assert.True(vend.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }

    /// <summary>The usage, cluster and per-node session endpoints (issues 14 and 16), as the OpenAPI document spells them.</summary>
    private static readonly (string Path, string Method)[] Required =
    [
        ("/api/v1/usage", "GET"),
        ("/api/v1/usage/credentials", "GET"),
        ("/api/v1/nodes", "GET"),
        ("/api/v1/nodes/{node}/drain", "POST"),
        ("/api/v1/nodes/{node}/drain", "DELETE"),
        ("/api/v1/sessions/{node}/{id}", "DELETE"),
    ];

    // Route templates write "/realms/" for a group's "/" child; OpenAPI drops the trailing slash.
    private static string Normalize(string pattern) => pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
}
