using Microsoft.Extensions.Diagnostics.HealthChecks;
using Turn.Relay.Seams;

namespace Admin.Web.Telemetry;

/// <summary>Ready once the TURN listeners are bound (they bind when the relay's hosted service starts).</summary>
public sealed class RelayReadinessCheck(IRelayStatus relay) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(relay.IsListening
            ? HealthCheckResult.Healthy($"TURN listening: {relay.UdpEndPoints.Count} UDP, {relay.TcpEndPoints.Count} TCP, {relay.TlsEndPoints.Count} TLS.")
            : HealthCheckResult.Unhealthy("TURN listeners are not bound yet."));
}
