using Microsoft.Extensions.Diagnostics.HealthChecks;
using Turn.Relay.Hosting;

namespace Admin.Web.Telemetry;

/// <summary>Ready once the TURN listeners are bound (they bind when the relay's hosted service starts).</summary>
public sealed class RelayReadinessCheck(RelayHostedService relay) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var udp = relay.UdpEndPoints.Count;
        var tcp = relay.TcpEndPoints.Count;
        return Task.FromResult(udp > 0 && tcp > 0
            ? HealthCheckResult.Healthy($"TURN listening: {udp} UDP, {tcp} TCP, {relay.TlsEndPoints.Count} TLS.")
            : HealthCheckResult.Unhealthy("TURN listeners are not bound yet."));
    }
}
