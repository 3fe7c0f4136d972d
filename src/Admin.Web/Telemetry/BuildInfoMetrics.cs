using System.Diagnostics.Metrics;
using Admin.Data.Usage;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Web.Telemetry;

/// <summary>
/// <c>turnstone.build_info</c> on meter "Turnstone.Build": always 1, with the build's <c>version</c> and <c>commit</c>
/// and this node's name (<c>node</c>, Usage:Node) as attributes (Prometheus:
/// <c>turnstone_build_info{version="0.13.0",commit="...",node="relay-1"} 1</c>): which node runs which build, and the
/// join from a node name to its scrape instance (the Grafana dashboard's node variable). Read at scrape time only;
/// three fixed attributes.
/// </summary>
public sealed class BuildInfoMetrics : IDisposable
{
    public const string MeterName = "Turnstone.Build";

    private readonly Meter _meter;

    public BuildInfoMetrics(IMeterFactory meterFactory, IOptions<UsageOptions> usage)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(usage);
        _meter = meterFactory.Create(MeterName);
        var measurement = new Measurement<long>(1,
            new KeyValuePair<string, object?>("version", BuildInfo.Version),
            new KeyValuePair<string, object?>("commit", BuildInfo.Commit),
            new KeyValuePair<string, object?>("node", usage.Value.EffectiveNode));
        _meter.CreateObservableGauge("turnstone.build_info", () => measurement, unit: null,
            description: "Always 1; the version and commit of the running build, and this node's name (Usage:Node), are its attributes.");
    }

    public void Dispose() => _meter.Dispose();
}
