using System.Net;
using Admin.Data.Credentials;
using Admin.Data.Usage;
using Admin.Web.Api.IceServers;
using Admin.Web.Live;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Turn.Relay;
using Turn.Relay.Seams;

namespace Admin.Web.Portal;

/// <summary>
/// What the Server page shows, read on demand from the running host: build, node name, bound listeners, relay port
/// range and how much of it live allocations hold, the default realm, the external address, the TURNS certificates,
/// whether PostgreSQL answers (and whether lookups run on last-known-good data), and drain state. The relay parts
/// are optional services, so a host without the relay shows "not running" instead of failing.
/// </summary>
public sealed class ServerFacts(
    IOptions<RelayOptions> relay, IOptions<UsageOptions> usage, TrustedCertificates certificates, LiveRelayFeed feed,
    IServiceProvider services, TimeProvider time)
{
    public string Version => BuildInfo.Version;

    public string Commit => BuildInfo.Commit;

    public string Node => usage.Value.EffectiveNode;

    public string DefaultRealm => relay.Value.DefaultRealm;

    /// <summary>Relay:ExternalAddress, or null when clients are handed the bound addresses.</summary>
    public string? ExternalAddress => string.IsNullOrWhiteSpace(relay.Value.ExternalAddress) ? null : relay.Value.ExternalAddress.Trim();

    public int MinPort => relay.Value.MinPort;

    public int MaxPort => relay.Value.MaxPort;

    /// <summary>Relay ports in the range: one per live allocation (its relayed transport address).</summary>
    public int RangeSize => Math.Max(0, MaxPort - MinPort + 1);

    public int PortsInUse => feed.Current.Sessions.Count;

    public bool IsDraining => services.GetService<IRelayControl>()?.IsDraining ?? false;

    public bool IsListening => services.GetService<IRelayStatus>()?.IsListening ?? false;

    public IReadOnlyList<TlsCertificateInfo> Certificates => certificates.All;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Bound listeners per transport (udp, tcp, tls); empty lists when the relay is not running here.</summary>
    public IReadOnlyList<(string Transport, IReadOnlyList<IPEndPoint> EndPoints)> Listeners
    {
        get
        {
            var status = services.GetService<IRelayStatus>();
            return
            [
                ("UDP", status?.UdpEndPoints ?? []),
                ("TCP", status?.TcpEndPoints ?? []),
                ("TLS", status?.TlsEndPoints ?? []),
            ];
        }
    }

    /// <summary>PostgreSQL's state: reachable now, and whether credential lookups currently run on last-known-good data.</summary>
    public async Task<(bool Reachable, bool OutageFallback, string Description)> DatabaseAsync(CancellationToken cancellationToken)
    {
        var outage = services.GetService<DatabaseOutage>();
        var check = services.GetService<HealthCheckService>();
        var reachable = true;
        var description = "PostgreSQL answers.";
        if (check is not null)
        {
            var report = await check.CheckHealthAsync(c => c.Name == "database", cancellationToken);
            reachable = report.Status == HealthStatus.Healthy;
            description = report.Entries.Values.Select(e => e.Description).FirstOrDefault() ?? description;
        }
        return (reachable, outage?.IsOngoing ?? false, description);
    }
}
