using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Admin.E2E.Tests.Cluster;

/// <summary>Reads of the cluster contract's API (GET /api/v1/sessions across nodes, GET /api/v1/nodes) and a bounded poll.</summary>
internal static class ClusterApi
{
    private static volatile string? _lastSessions;

    /// <summary>The last GET /api/v1/sessions answer read (the cluster tests run one at a time), for failure messages.</summary>
    public static string LastSessions => _lastSessions ?? "(none read)";

    /// <summary>GET /api/v1/sessions?take=500 (optionally ?user=): the items and the nodes that did not answer this tick.</summary>
    public static async Task<(IReadOnlyList<JsonElement> Items, IReadOnlyList<string> UnavailableNodes)> SessionsAsync(HttpClient api, string? user = null)
    {
        var text = await api.GetStringAsync(user is null ? "api/v1/sessions?take=500" : $"api/v1/sessions?take=500&user={Uri.EscapeDataString(user)}");
        _lastSessions = text;
        var page = JsonSerializer.Deserialize<JsonElement>(text);
        var unavailable = page.TryGetProperty("unavailableNodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array
            ? nodes.EnumerateArray().Select(n => n.GetString()!).ToList()
            : [];
        return ([.. page.GetProperty("items").EnumerateArray()], unavailable);
    }

    /// <summary>The session's user, node and id.</summary>
    public static (string User, string? Node, string Id) Describe(JsonElement session) =>
        (session.GetProperty("user").GetString()!,
         session.TryGetProperty("node", out var node) && node.ValueKind == JsonValueKind.String ? node.GetString() : null,
         session.GetProperty("id").GetString()!);

    /// <summary>GET /api/v1/nodes, by name.</summary>
    public static async Task<IReadOnlyDictionary<string, JsonElement>> NodesAsync(HttpClient api)
    {
        var nodes = await api.GetFromJsonAsync<JsonElement>("api/v1/nodes");
        return nodes.EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!, n => n.Clone());
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds or <paramref name="limit"/> passes; returns how long it took, or fails.</summary>
    public static async Task<TimeSpan> WithinAsync(TimeSpan limit, Func<Task<bool>> condition, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return clock.Elapsed;
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"{failure()} (not within {limit.TotalSeconds:F1} s)");
            }
            await Task.Delay(100);
        }
    }
}
