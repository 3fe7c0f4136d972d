using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Admin.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Turnstone.TestSupport;

namespace Admin.Web.Tests.Telemetry;

/// <summary>
/// The node name (Usage:Node) is the telemetry resource's service.instance.id: on a real Prometheus scrape it is in
/// target_info and in no metric's labels; over OTLP it is a resource attribute of the exported batch.
/// </summary>
[Collection(ProcessWideMetersCollection.Name)]
public sealed class NodeResourceTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IDisposable
{
    private const string Node = "relay-node-7";

    private readonly PortRange _relayPorts = PortRangeAllocator.Allocate(100);

    public void Dispose() => _relayPorts.Dispose();

    [Fact]
    public async Task Scrape_NodeIsTargetInfoServiceInstanceId_NotAMetricLabel()
    {
        var metricsPort = FreeTcpPort();
        await using var app = TurnstoneHost.CreateWebApplication(Arguments("--Metrics:Port=" + metricsPort.ToString(CultureInfo.InvariantCulture)));
        await app.StartAsync();
        try
        {
            using var http = new HttpClient();
            var text = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");

            var targetInfo = text.Split('\n').Single(l => l.StartsWith("target_info{", StringComparison.Ordinal));
            Assert.Contains($"service_instance_id=\"{Node}\"", targetInfo, StringComparison.Ordinal);
            Assert.Contains("service_name=\"turnstone\"", targetInfo, StringComparison.Ordinal);
            var series = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#' && !l.StartsWith("target_info", StringComparison.Ordinal)).ToList();
            Assert.Contains(series, l => l.StartsWith("turn_allocations_active", StringComparison.Ordinal));
            // One attribute per process, never repeated on series (and never per user). The one exception is the info
            // series turnstone_build_info{version,commit,node} = 1: a single series per process that joins the node's name
            // to its scrape target for the Grafana dashboard's node variable, as target_info does.
            Assert.DoesNotContain(series, l => l.Contains(Node, StringComparison.Ordinal) && !l.StartsWith("turnstone_build_info{", StringComparison.Ordinal));
            Assert.Single(series, l => l.StartsWith("turnstone_build_info{", StringComparison.Ordinal));
            Assert.DoesNotContain(series, l => l.Contains("user=", StringComparison.Ordinal) || l.Contains("username=", StringComparison.Ordinal));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task OtlpExport_CarriesTheNodeAsServiceInstanceId()
    {
        var bodies = new ConcurrentQueue<byte[]>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/metrics", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            bodies.Enqueue(body.ToArray());
            context.Response.ContentType = "application/x-protobuf";
            return Results.Ok();
        });
        await receiver.StartAsync();
        var endpoint = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        await using var app = TurnstoneHost.CreateWebApplication(Arguments(
            "--Metrics:Port=0",
            "--OTEL_EXPORTER_OTLP_ENDPOINT=" + endpoint,
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL=300"));
        await app.StartAsync();
        try
        {
            for (var i = 0; i < 100 && bodies.IsEmpty; i++) await Task.Delay(100);
            var body = Assert.IsType<byte[]>(bodies.FirstOrDefault());
            // OTLP protobuf keeps attribute keys and string values as UTF-8 bytes: the key, then its value, in the resource.
            var key = IndexOf(body, "service.instance.id"u8);
            Assert.True(key >= 0, "no service.instance.id in the exported resource");
            var value = IndexOf(body, Encoding.UTF8.GetBytes(Node));
            Assert.InRange(value - key, 1, 40);
        }
        finally
        {
            await app.StopAsync();
            await receiver.StopAsync();
        }
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string[] Arguments(params string[] extra) =>
    [
        "--ConnectionStrings:Admin=" + database.ConnectionString,
        "--urls=http://127.0.0.1:0",
        "--Usage:Node=" + Node,
        "--Turnstone:DataDirectory=" + Path.Combine(Path.GetTempPath(), "turnstone-node-resource-tests"),
        "--TURNSTONE_ADMIN_PASSWORD=node-test-Passw0rd",
        "--Relay:ListenAddresses:0=127.0.0.1",
        "--Relay:Port=0",
        "--Relay:TlsPort=0",
        "--Relay:MinPort=" + _relayPorts.MinSetting,
        "--Relay:MaxPort=" + _relayPorts.MaxSetting,
        .. extra,
    ];
}
