using System.Diagnostics;
using System.Diagnostics.Metrics;
using Turn.Protocol;
using Turn.Relay.Requests;
using Turn.Relay.Seams;

namespace Turn.Relay.Diagnostics;

/// <summary>
/// The relay's instruments on meter "Turnstone.Relay". Relayed bytes and packets are summed per
/// allocation by the data path (plain fields) and published through observable counters, so the
/// hot path never touches an instrument (rejections are counted on the request path only). Attributes are
/// bounded: method, result, direction, transport, reason. Never a user, address or allocation id.
/// </summary>
internal sealed class RelayMetrics : IDisposable
{
    public const string MeterName = RelayMeter.Name;

    private static readonly string[] TransportNames = ["udp", "tcp", "tls"];

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _quotaRejections;
    private readonly Counter<long> _peerRejections;
    private readonly Counter<long> _malformed;
    private readonly Counter<long> _overload;
    private readonly Counter<long> _limited;
    private readonly Histogram<double> _allocationDuration;
    private readonly Counter<long> _streamRefused;
    private readonly Counter<long> _streamTimeouts;
    private Func<RelayTotals>? _totals;
    private Func<IReadOnlyList<TlsCertificateInfo>>? _certificates;
    private Func<int>? _portsUsed;
    private int _portsLimit;

    public RelayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("turn.requests", "{request}", "STUN/TURN requests answered, by method and result (success or error code).");
        _authFailures = _meter.CreateCounter<long>("turn.auth.failures", "{failure}", "Requests refused for wrong or unknown credentials (401) or a wrong user (441).");
        _quotaRejections = _meter.CreateCounter<long>("turn.quota.rejections", "{rejection}", "Allocations refused by user quota (486) or total quota/capacity/draining (508), by error code and reason.");
        _peerRejections = _meter.CreateCounter<long>("turn.peer.rejections", "{rejection}", "Permissions or channel bindings refused by peer policy (403), by client transport.");
        _malformed = _meter.CreateCounter<long>("turn.messages.malformed", "{message}", "Client packets dropped as neither valid STUN nor ChannelData.");
        _overload = _meter.CreateCounter<long>("turn.requests.shed", "{request}", "Requests dropped because too many were waiting on the credential or policy store.");
        _limited = _meter.CreateCounter<long>("turn.requests.limited", "{request}", "Requests dropped by a per-source limit, by limit: unauthenticated_answer (the 401/438/400/Binding answer budget per source and prefix), source_in_flight (a source's or prefix's share of requests in flight), source_request_rate (requests from a source without an allocation beyond Relay:RequestsPerSecondPerSource, dropped unread).");
        _allocationDuration = _meter.CreateHistogram<double>("turn.allocation.duration", "s", "How long allocations lived, from creation to deletion or expiry.");
        _meter.CreateObservableUpDownCounter("turn.allocations.active", ObserveActive, "{allocation}", "Live allocations, by client transport.");
        _meter.CreateObservableUpDownCounter("turn.permissions.active", () => Measure(t => t.Permissions), "{permission}", "Live permissions, by client transport.");
        _meter.CreateObservableUpDownCounter("turn.channels.active", () => Measure(t => t.Channels), "{channel}", "Live channel bindings, by client transport.");
        _meter.CreateObservableCounter("turn.relay.bytes", () => MeasureDirections(t => t.BytesToPeer, t => t.BytesToClient), "By", "Bytes relayed, by direction (to_peer, to_client) and client transport.");
        _meter.CreateObservableCounter("turn.relay.packets", () => MeasureDirections(t => t.PacketsToPeer, t => t.PacketsToClient), "{packet}", "Packets relayed, by direction and client transport.");
        _streamRefused = _meter.CreateCounter<long>("turn.stream.connections.refused", "{connection}", "TCP/TLS connections closed at accept: Relay:MaxStreamConnections (server_limit) or Relay:MaxStreamConnectionsPerAddress (address_limit) reached.");
        _streamTimeouts = _meter.CreateCounter<long>("turn.stream.connections.timed_out", "{connection}", "TCP/TLS connections closed by a deadline: TLS handshake (handshake), no authentication (auth), idle or stalled (idle).");
        _meter.CreateObservableGauge("turn.tls.certificate.expiry", ObserveCertificates, "s", "When each TLS certificate presented now expires (NotAfter, Unix seconds), by host name and whether Turnstone generated it.");
        // Read at collection time from the port allocator (the alert on a range near exhaustion divides one by the other).
        _meter.CreateObservableUpDownCounter("turn.relay.ports.used", () => (long)(_portsUsed?.Invoke() ?? 0), "{port}", "Relay ports held by allocations and EVEN-PORT reservations.");
        _meter.CreateObservableUpDownCounter("turn.relay.ports.limit", () => (long)_portsLimit, "{port}", "Relay ports in Relay:MinPort..Relay:MaxPort, the most that can be held at once.");
        _meter.CreateObservableCounter("turn.relay.dropped", () => MeasureDirections(t => t.DroppedToPeer, t => t.DroppedToClient), "{packet}", "Packets not relayed (no permission or channel, over the bandwidth limit, send failure), by direction.");
        StartAtZero();
    }

    // The counters alerts and dashboards watch exist from the start at 0: Prometheus' increase() and rate() see a
    // first rejection only as a step up from a sample, never in a series that begins with it.
    private void StartAtZero()
    {
        _quotaRejections.Add(0, new KeyValuePair<string, object?>("error.type", "486"), new KeyValuePair<string, object?>("turn.rejection.reason", ReasonName(QuotaRejectionReason.UserQuota)));
        foreach (var reason in new[] { QuotaRejectionReason.TotalQuota, QuotaRejectionReason.ServerCapacity, QuotaRejectionReason.RelayPorts, QuotaRejectionReason.ReservationToken, QuotaRejectionReason.Draining })
            _quotaRejections.Add(0, new KeyValuePair<string, object?>("error.type", "508"), new KeyValuePair<string, object?>("turn.rejection.reason", ReasonName(reason)));
        _malformed.Add(0);
        _overload.Add(0);
        foreach (var transport in new[] { RelayTransport.Udp, RelayTransport.Tcp, RelayTransport.Tls })
        {
            _peerRejections.Add(0, new KeyValuePair<string, object?>("network.transport", TransportNames[(int)transport]));
            foreach (var reason in new[] { "unknown_user", "bad_integrity", "expired", "wrong_user" })
                _authFailures.Add(0, new KeyValuePair<string, object?>("network.transport", TransportNames[(int)transport]), new KeyValuePair<string, object?>("error.type", reason));
            if (transport == RelayTransport.Udp) continue;
            foreach (var reason in new[] { "server_limit", "address_limit" })
                _streamRefused.Add(0, new KeyValuePair<string, object?>("network.transport", TransportNames[(int)transport]), new KeyValuePair<string, object?>("error.type", reason));
            foreach (var reason in new[] { "handshake", "auth", "idle" })
                _streamTimeouts.Add(0, new KeyValuePair<string, object?>("network.transport", TransportNames[(int)transport]), new KeyValuePair<string, object?>("error.type", reason));
        }
        foreach (var limit in new[] { RequestLimit.UnauthenticatedAnswer, RequestLimit.SourceInFlight, RequestLimit.SourceRequestRate }) RecordLimited(limit, 0);
    }

    /// <summary>The meter the instruments live on (tests listen to one engine's meter only).</summary>
    internal Meter Meter => _meter;

    /// <summary>Set by the engine: reads totals for the observable instruments.</summary>
    internal void SetTotalsSource(Func<RelayTotals> totals) => _totals = totals;

    /// <summary>Set by the engine: how many relay ports are held now, and how many the range has.</summary>
    internal void SetPortsSource(Func<int> used, int limit)
    {
        _portsUsed = used;
        _portsLimit = limit;
    }

    /// <summary>Set by the relay's host when TLS is on: the certificates the expiry gauge reports.</summary>
    internal void SetCertificateSource(Func<IReadOnlyList<TlsCertificateInfo>> certificates) => _certificates = certificates;

    public void RecordStreamConnectionRefused(RelayTransport transport, string reason) =>
        _streamRefused.Add(1, new KeyValuePair<string, object?>("network.transport", TransportNames[(int)transport]), new KeyValuePair<string, object?>("error.type", reason));

    public void RecordStreamTimeout(RelayTransport transport, string reason) =>
        _streamTimeouts.Add(1, new KeyValuePair<string, object?>("network.transport", TransportNames[(int)transport]), new KeyValuePair<string, object?>("error.type", reason));

    // Bounded by configuration: one measurement per certificate presented (host name = its first DNS name, else its subject).
    private IEnumerable<Measurement<long>> ObserveCertificates()
    {
        if (_certificates?.Invoke() is not { Count: > 0 } certificates) yield break;
        foreach (var certificate in certificates)
        {
            yield return new Measurement<long>(certificate.NotAfter.ToUnixTimeSeconds(),
                new KeyValuePair<string, object?>("tls.server.name", certificate.HostNames.Count > 0 ? certificate.HostNames[0] : certificate.Subject),
                new KeyValuePair<string, object?>("tls.certificate.generated", certificate.IsGenerated ? "true" : "false"));
        }
    }

    public void RecordRequest(StunMethod method, StunErrorCode? error)
    {
        var tags = new TagList
        {
            { "turn.method", MethodName(method) },
            { "turn.result", error is { } code ? ErrorName(code) : "success" },
        };
        _requests.Add(1, tags);
    }

    public void RecordAuthFailure(RelayTransport transport, string reason) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("network.transport", TransportNames[(int)transport]), new KeyValuePair<string, object?>("error.type", reason));

    public void RecordQuotaRejection(StunErrorCode error, QuotaRejectionReason reason) =>
        _quotaRejections.Add(1, new KeyValuePair<string, object?>("error.type", ErrorName(error)), new KeyValuePair<string, object?>("turn.rejection.reason", ReasonName(reason)));

    public void RecordPeerRejection(RelayTransport transport) =>
        _peerRejections.Add(1, new KeyValuePair<string, object?>("network.transport", TransportNames[(int)transport]));

    public void RecordMalformed() => _malformed.Add(1);

    public void RecordOverload() => _overload.Add(1);

    public void RecordLimited(RequestLimit limit) => RecordLimited(limit, 1);

    private void RecordLimited(RequestLimit limit, long count) =>
        _limited.Add(count, new KeyValuePair<string, object?>("turn.limit", limit switch
        {
            RequestLimit.UnauthenticatedAnswer => "unauthenticated_answer",
            RequestLimit.SourceRequestRate => "source_request_rate",
            _ => "source_in_flight",
        }));

    public void RecordAllocationDuration(TimeSpan lifetime, RelayTransport transport) =>
        _allocationDuration.Record(lifetime.TotalSeconds, new KeyValuePair<string, object?>("network.transport", TransportNames[(int)transport]));

    private IEnumerable<Measurement<long>> ObserveActive() => Measure(t => t.Allocations);

    private IEnumerable<Measurement<long>> Measure(Func<RelayTransportTotals, long> select)
    {
        if (_totals is null) yield break;
        var totals = _totals();
        for (var i = 0; i < TransportNames.Length; i++)
            yield return new Measurement<long>(select(totals.ByTransport[i]), new KeyValuePair<string, object?>("network.transport", TransportNames[i]));
    }

    private IEnumerable<Measurement<long>> MeasureDirections(Func<RelayTransportTotals, long> toPeer, Func<RelayTransportTotals, long> toClient)
    {
        if (_totals is null) yield break;
        var totals = _totals();
        for (var i = 0; i < TransportNames.Length; i++)
        {
            var transport = new KeyValuePair<string, object?>("network.transport", TransportNames[i]);
            yield return new Measurement<long>(toPeer(totals.ByTransport[i]), transport, new KeyValuePair<string, object?>("direction", "to_peer"));
            yield return new Measurement<long>(toClient(totals.ByTransport[i]), transport, new KeyValuePair<string, object?>("direction", "to_client"));
        }
    }

    private static string MethodName(StunMethod method) => method switch
    {
        StunMethod.Binding => "binding",
        StunMethod.Allocate => "allocate",
        StunMethod.Refresh => "refresh",
        StunMethod.CreatePermission => "create_permission",
        StunMethod.ChannelBind => "channel_bind",
        _ => "other",
    };

    private static string ReasonName(QuotaRejectionReason reason) => reason switch
    {
        QuotaRejectionReason.UserQuota => "user_quota",
        QuotaRejectionReason.TotalQuota => "total_quota",
        QuotaRejectionReason.ServerCapacity => "server_capacity",
        QuotaRejectionReason.RelayPorts => "relay_ports",
        QuotaRejectionReason.ReservationToken => "reservation_token",
        QuotaRejectionReason.Draining => "draining",
        _ => "other",
    };

    // Known codes only, so the attribute stays bounded.
    private static string ErrorName(StunErrorCode code) => code switch
    {
        StunErrorCode.TryAlternate => "300",
        StunErrorCode.BadRequest => "400",
        StunErrorCode.Unauthorized => "401",
        StunErrorCode.Forbidden => "403",
        StunErrorCode.UnknownAttribute => "420",
        StunErrorCode.AllocationMismatch => "437",
        StunErrorCode.StaleNonce => "438",
        StunErrorCode.AddressFamilyNotSupported => "440",
        StunErrorCode.WrongCredentials => "441",
        StunErrorCode.UnsupportedTransportProtocol => "442",
        StunErrorCode.PeerAddressFamilyMismatch => "443",
        StunErrorCode.AllocationQuotaReached => "486",
        StunErrorCode.ServerError => "500",
        StunErrorCode.InsufficientCapacity => "508",
        _ => "other",
    };

    public void Dispose() => _meter.Dispose();
}
