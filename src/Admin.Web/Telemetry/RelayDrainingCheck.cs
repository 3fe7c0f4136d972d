using Microsoft.Extensions.Diagnostics.HealthChecks;
using Turn.Relay.Seams;

namespace Admin.Web.Telemetry;

/// <summary>
/// Not ready while the relay drains, so a load balancer or orchestrator sends new clients elsewhere; the live
/// allocations keep being served (liveness is not affected).
/// </summary>
public sealed class RelayDrainingCheck(IRelayControl relay) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(relay.IsDraining
            ? HealthCheckResult.Unhealthy("Draining: new allocations are refused (508); live allocations run on.")
            : HealthCheckResult.Healthy("Accepting new allocations."));
}
