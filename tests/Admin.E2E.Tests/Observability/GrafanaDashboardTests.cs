using System.Text.Json;

namespace Admin.E2E.Tests.Observability;

/// <summary>
/// deploy/grafana/dashboards/turnstone.json is portable: the data source is a variable (no uid of one Grafana), job,
/// node and instance are variables (no job name written in), every range is $__rate_interval, it has the runtime,
/// process, shed and malformed panels, and every metric it reads is one a real `turnstone serve` exports.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class GrafanaDashboardTests(ObservabilityFixture fixture)
{
    private static readonly JsonElement Dashboard = Load();

    [Fact]
    public void Variables_DataSourceJobNodeInstance_NoHardCodedUid()
    {
        var variables = Dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);

        Assert.Equal("datasource", variables["datasource"].GetProperty("type").GetString());
        Assert.Equal("prometheus", variables["datasource"].GetProperty("query").GetString());
        foreach (var name in new[] { "job", "node", "instance" })
        {
            Assert.Equal("query", variables[name].GetProperty("type").GetString());
            Assert.Equal("${datasource}", variables[name].GetProperty("datasource").GetProperty("uid").GetString());
            Assert.True(variables[name].GetProperty("includeAll").GetBoolean(), name);
        }
        // Node narrows the instances (build info carries both).
        Assert.Contains("node=~\"$node\"", variables["instance"].GetProperty("query").GetProperty("query").GetString()!, StringComparison.Ordinal);

        foreach (var panel in Panels())
        {
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
                Assert.Equal("${datasource}", target.GetProperty("datasource").GetProperty("uid").GetString());
        }
        Assert.DoesNotContain("turnstone-prometheus", Dashboard.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Expressions_SelectJobAndInstanceByVariable_AndUseRateIntervalOnly()
    {
        var expressions = Expressions().ToList();
        Assert.True(expressions.Count >= 30, $"only {expressions.Count} queries");

        foreach (var expression in expressions)
        {
            Assert.Contains("job=~\"$job\"", expression, StringComparison.Ordinal);
            Assert.Contains("instance=~\"$instance\"", expression, StringComparison.Ordinal);
            Assert.DoesNotContain("job=\"", expression, StringComparison.Ordinal);
            Assert.All(PrometheusText.RangeWindows(expression), window => Assert.Equal("[$__rate_interval]", window));
        }
    }

    [Fact]
    public void Panels_CoverRuntimeProcessShedAndMalformed()
    {
        var all = string.Join('\n', Expressions());
        foreach (var metric in new[]
        {
            "dotnet_gc_collections_total", "dotnet_gc_last_collection_heap_size_bytes", "dotnet_gc_pause_time_seconds_total",
            "dotnet_thread_pool_thread_count_total", "dotnet_process_cpu_time_seconds_total", "dotnet_process_memory_working_set_bytes",
            "turn_requests_shed_total", "turn_requests_limited_total", "turn_messages_malformed_total",
            "turn_allocations_active", "turn_relay_bytes_total", "turn_relay_ports_used", "turn_tls_certificate_expiry_seconds",
        })
        {
            Assert.Contains(metric, all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Expressions_ReadOnlyMetricsARealServerExports()
    {
        var exported = PrometheusText.SampleNames(await fixture.ScrapeAsync());
        var queries = Expressions().Concat(Dashboard.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Where(v => v.GetProperty("type").GetString() == "query")
            .Select(v => v.GetProperty("query").GetProperty("query").GetString()!.Replace("label_values(", "(", StringComparison.Ordinal)));

        foreach (var query in queries)
        {
            foreach (var metric in PrometheusText.MetricNames(query).Where(m => m is not ("job" or "node" or "instance")))
                Assert.True(exported.Contains(metric), $"{metric} (in `{query}`) is not exported by turnstone serve");
        }
    }

    private static IEnumerable<JsonElement> Panels() =>
        Dashboard.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row");

    private static IEnumerable<string> Expressions() =>
        Panels().SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!);

    private static JsonElement Load()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("deploy/grafana/dashboards/turnstone.json")));
        return json.RootElement.Clone();
    }
}
