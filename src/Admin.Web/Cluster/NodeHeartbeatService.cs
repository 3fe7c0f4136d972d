using Admin.Data.Cluster;
using Admin.Data.Usage;
using Admin.Web.Live;
using Microsoft.Extensions.Options;
using Turn.Relay;
using Turn.Relay.Seams;

namespace Admin.Web.Cluster;

/// <summary>
/// Every Cluster:HeartbeatInterval: writes this node's registry row (addresses, internal URL, version, drain state,
/// allocations and bit rates from the live feed, certificate expiry), deletes entries older than Cluster:NodeExpireAfter,
/// re-reads the registry and publishes it to <see cref="ClusterNodes"/>. While PostgreSQL is away the node serves on
/// with the last view; the outage is logged when it starts and when it ends, never per beat.
/// </summary>
public sealed partial class NodeHeartbeatService(
    NodeRegistry registry,
    ClusterNodes nodes,
    LiveRelayFeed feed,
    IRelayStatus status,
    IRelayControl control,
    InternalEndpointServer internalEndpoint,
    IOptions<ClusterOptions> cluster,
    IOptions<RelayOptions> relay,
    TimeProvider time,
    IServiceProvider services,
    ILogger<NodeHeartbeatService> logger) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private DateTimeOffset? _outageSince;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = cluster.Value.HeartbeatInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await BeatAsync(stoppingToken);
                await Task.Delay(interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One heartbeat (the loop calls it; tests too). False when the registry could not be reached.</summary>
    internal async Task<bool> BeatAsync(CancellationToken cancellationToken)
    {
        var options = cluster.Value;
        try
        {
            var records = await registry.BeatAsync(CurrentBeat(), options.NodeExpireAfter, cancellationToken);
            nodes.Publish(records, options.NodeDownAfter, time.GetUtcNow());
            if (_outageSince is { } since)
            {
                LogRegistryBack(logger, time.GetUtcNow() - since);
                _outageSince = null;
            }
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (_outageSince is null)
            {
                _outageSince = time.GetUtcNow();
                LogRegistryUnreachable(logger, ex);
            }
            return false;
        }
    }

    internal NodeHeartbeat CurrentBeat()
    {
        var local = feed.LocalCurrent;
        var relayOptions = relay.Value;
        var allocations = local.Sessions.Count;
        var certificates = services.GetService<ITlsCertificateStatus>()?.Certificates ?? [];
        DateTimeOffset? expiry = certificates.Count == 0 ? null : certificates.Min(c => c.NotAfter);
        return new NodeHeartbeat(nodes.Self,
            NodeAdvertisement.Addresses(status.UdpEndPoints, relayOptions),
            NodeAdvertisement.Addresses(status.TcpEndPoints, relayOptions),
            NodeAdvertisement.Addresses(status.TlsEndPoints, relayOptions),
            internalEndpoint.AdvertisedUrl,
            BuildInfo.Version,
            _startedAt,
            control.IsDraining,
            status.IsFull,
            allocations,
            local.Totals.BitsPerSecondIn,
            local.Totals.BitsPerSecondOut,
            expiry);
    }

    [LoggerMessage(EventId = 3610, Level = LogLevel.Warning, Message = "Node registry unreachable: this node serves on with the last known cluster view until PostgreSQL is back")]
    private static partial void LogRegistryUnreachable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3611, Level = LogLevel.Information, Message = "Node registry reachable again after {Outage}")]
    private static partial void LogRegistryBack(ILogger logger, TimeSpan outage);
}
