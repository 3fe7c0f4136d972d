using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Admin.Data.Credentials;

/// <summary>
/// Keeps one dedicated connection LISTENing on <see cref="AdminDbContext.ChangeChannel"/> and feeds the notifications
/// to <see cref="CredentialCache"/> (which drops the entries they name) and, when one may be a revocation, to
/// <see cref="RevocationVerifier"/> (which checks the database before anything is ended). While disconnected the cache is bypassed; after every (re)connection it is
/// flushed, because notifications sent meanwhile are lost, and the last-known-good entries kept for outages are
/// checked against the database (<see cref="LastKnownRevalidation"/>) for the same reason. Reconnects with
/// exponential backoff (100 ms up to AdminData:ListenerMaxReconnectDelay).
/// </summary>
public sealed partial class ChangeListener(
    [FromKeyedServices(ChangeListener.DataSourceKey)] NpgsqlDataSource listenerSource,
    CredentialCache cache,
    RevocationVerifier revocations,
    DatabaseOutage outage,
    IOptions<AdminDataOptions> options,
    TimeProvider timeProvider,
    ILogger<ChangeListener> logger) : BackgroundService
{
    /// <summary>application_name of the listening connection (visible in pg_stat_activity).</summary>
    public const string ApplicationName = "turnstone-change-listener";

    /// <summary>Service key of the listener's own data source (no pooling, application_name, TCP keepalive).</summary>
    public const string DataSourceKey = "turnstone-change-listener";

    private static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>A quiet listening connection is probed this often (seconds), so a silently dead one is noticed.</summary>
    internal const int KeepAliveSeconds = 15;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = InitialDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await listenerSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {AdminDbContext.ChangeChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Listening first, so a change made during the check is notified rather than missed.
                await LastKnownRevalidation.RunAsync(connection, cache, stoppingToken);
                outage.Reached();
                cache.SetLive(true);
                LogListening(logger);
                delay = InitialDelay;
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Whatever broke the connection (server restart, pg_terminate_backend, network), keep retrying:
                // the relay must never lose cache coherence, and stopping the host over it would be worse.
                cache.SetLive(false);
                LogDisconnected(logger, e, delay.TotalMilliseconds);
            }
            cache.SetLive(false);
            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.ListenerMaxReconnectDelay.Ticks));
        }
        cache.SetLive(false);
    }

    // The payload only names what to drop and re-read; a possible revocation is checked against the database first.
    private void OnNotification(string payload)
    {
        if (cache.Apply(payload) is { } notification) revocations.Enqueue(notification);
    }

    [LoggerMessage(EventId = 2121, Level = LogLevel.Information, Message = "Listening for credential and policy changes")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(EventId = 2122, Level = LogLevel.Warning, Message = "Change listener lost its database connection; caching is off until it reconnects (next try in {DelayMs} ms)")]
    private static partial void LogDisconnected(ILogger logger, Exception exception, double delayMs);
}
