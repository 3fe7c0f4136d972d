using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Admin.Web.Telemetry;

/// <summary>Ready only while PostgreSQL answers a trivial query within a couple of seconds.</summary>
public sealed class DatabaseReadinessCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(limit.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            // The message says what failed without the connection string.
            return HealthCheckResult.Unhealthy($"PostgreSQL unreachable: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
