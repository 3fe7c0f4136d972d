using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Turn.Relay.Seams;

namespace Admin.E2E.Tests.Observability;

/// <summary>
/// One version everywhere: Directory.Build.props' Version is what /api/v1/ping and turnstone_build_info report, with
/// the commit the build was made from; and the counters alerts watch exist from the start at 0.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed partial class BuildInfoTests(ObservabilityFixture fixture)
{
    [Fact]
    public async Task Ping_Anonymous_ReportsTheProjectVersionAndCommit()
    {
        using var http = new HttpClient { BaseAddress = fixture.App.BaseAddress };

        var ping = await http.GetFromJsonAsync<JsonElement>("api/v1/ping");

        Assert.Equal("ok", ping.GetProperty("status").GetString());
        Assert.Equal(ProjectVersion(), ping.GetProperty("version").GetString());
        Assert.Equal(BuildInfo.Version, ping.GetProperty("version").GetString());
        Assert.Equal(BuildInfo.Commit, ping.GetProperty("commit").GetString());
        // Built from this git checkout: the SDK stamps the commit.
        Assert.Matches("^[0-9a-f]{40}$", BuildInfo.Commit);
    }

    [Fact]
    public async Task Scrape_BuildInfoGauge_IsOneWithVersionCommitAndNode()
    {
        var text = await fixture.ScrapeAsync();

        var line = Assert.Single(text.Split('\n'), l => l.StartsWith("turnstone_build_info{", StringComparison.Ordinal));
        Assert.Contains($"version=\"{ProjectVersion()}\"", line, StringComparison.Ordinal);
        Assert.Contains($"commit=\"{BuildInfo.Commit}\"", line, StringComparison.Ordinal);
        Assert.Contains($"node=\"{ObservabilityFixture.Node}\"", line, StringComparison.Ordinal);
        Assert.EndsWith("} 1", line, StringComparison.Ordinal);
        Assert.Contains("# TYPE turnstone_build_info gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_CountersAlertsWatch_ExistAtZeroBeforeAnyEvent()
    {
        var text = await fixture.ScrapeAsync();

        // Nothing was refused for quota, shed or dropped in the fixture, yet each series is there at 0, so Prometheus'
        // increase() sees the first event (a series that starts at 1 shows no increase).
        foreach (var series in new[]
        {
            "turn_quota_rejections_total{otel_scope_name=\"Turnstone.Relay\",error_type=\"508\",turn_rejection_reason=\"relay_ports\"} 0",
            "turn_quota_rejections_total{otel_scope_name=\"Turnstone.Relay\",error_type=\"486\",turn_rejection_reason=\"user_quota\"} 0",
            "turn_requests_shed_total{otel_scope_name=\"Turnstone.Relay\"} 0",
            "turnstone_usage_rows_dropped_total{otel_scope_name=\"Turnstone.Usage\"} 0",
            "turnstone_usage_write_failures_total{otel_scope_name=\"Turnstone.Usage\"} 0",
            "turnstone_credentials_fallback_lookups_total{otel_scope_name=\"Turnstone.Data\",lookup=\"user\",outcome=\"served\"} 0",
            "turn_stream_connections_refused_total{otel_scope_name=\"Turnstone.Relay\",error_type=\"server_limit\",network_transport=\"tcp\"} 0",
        })
        {
            Assert.True(text.Contains("\n" + series + "\n", StringComparison.Ordinal), $"{series} not in the scrape:\n{text}");
        }
        // The relay-port gauges the exhaustion alert divides, for this fixture's leased range.
        Assert.Contains($"\nturn_relay_ports_limit{{otel_scope_name=\"Turnstone.Relay\"}} {fixture.App.RelayPorts.Count}\n", text, StringComparison.Ordinal);
        Assert.Matches(PortsUsed(), text);
    }

    private static string ProjectVersion() =>
        VersionElement().Match(File.ReadAllText(RepositoryFiles.PathOf("Directory.Build.props"))).Groups[1].Value;

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();

    [GeneratedRegex(@"\nturn_relay_ports_used\{[^}]*\} [0-9]+\n")]
    private static partial Regex PortsUsed();
}
