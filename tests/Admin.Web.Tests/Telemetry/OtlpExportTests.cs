using System.Collections.Concurrent;
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
/// With OTEL_EXPORTER_OTLP_ENDPOINT set, the serve host sends metrics, traces and logs over OTLP (HTTP/protobuf here),
/// received by a small OTLP endpoint on loopback that records which signals arrived.
/// </summary>
public sealed class OtlpExportTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task OtlpEndpointSet_MetricsTracesAndLogsArrive()
    {
        using var relayPorts = PortRangeAllocator.Allocate(100);
        var received = new ConcurrentDictionary<string, int>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/{signal}", (string signal, HttpContext context) =>
        {
            received.AddOrUpdate(signal, 1, (_, n) => n + 1);
            context.Response.ContentType = "application/x-protobuf";
            return Results.Ok();
        });
        await receiver.StartAsync();
        var endpoint = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        await using var app = TurnstoneHost.CreateWebApplication(
        [
            "--ConnectionStrings:Admin=" + database.ConnectionString,
            "--urls=http://127.0.0.1:0",
            "--Metrics:Port=0",
            "--Turnstone:DataDirectory=" + Path.Combine(Path.GetTempPath(), "turnstone-otlp-tests"),
            "--TURNSTONE_ADMIN_PASSWORD=otlp-test-Passw0rd",
            "--Relay:ListenAddresses:0=127.0.0.1",
            "--Relay:Port=0",
            "--Relay:TlsPort=0",
            "--Relay:MinPort=" + relayPorts.MinSetting,
            "--Relay:MaxPort=" + relayPorts.MaxSetting,
            "--OTEL_EXPORTER_OTLP_ENDPOINT=" + endpoint,
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL=500",
            "--OTEL_BSP_SCHEDULE_DELAY=200",
            "--OTEL_BLRP_SCHEDULE_DELAY=200",
        ]);
        await app.StartAsync();
        try
        {
            var portal = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient();
            for (var i = 0; i < 100 && !(received.ContainsKey("metrics") && received.ContainsKey("traces") && received.ContainsKey("logs")); i++)
            {
                // A request makes a trace (and a database check for /readyz makes a database span).
                await http.GetAsync(portal + "/readyz");
                await Task.Delay(200);
            }
            Assert.True(received.ContainsKey("metrics"), string.Join(", ", received.Keys));
            Assert.True(received.ContainsKey("traces"), string.Join(", ", received.Keys));
            Assert.True(received.ContainsKey("logs"), string.Join(", ", received.Keys));
        }
        finally
        {
            await app.StopAsync();
            await receiver.StopAsync();
        }
    }
}
