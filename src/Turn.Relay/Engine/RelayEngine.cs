using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Auth;
using Turn.Relay.DataPath;
using Turn.Relay.Diagnostics;
using Turn.Relay.Methods;
using Turn.Relay.Realms;
using Turn.Relay.Redirects;
using Turn.Relay.Policy;
using Turn.Relay.Requests;
using Turn.Relay.Seams;
using Turn.Relay.State;
using Turn.Relay.Transports;

namespace Turn.Relay.Engine;

/// <summary>
/// The TURN server of RFC 8656, composed of its parts: the <see cref="AllocationTable"/>, the
/// <see cref="RelayDataPath"/> (ChannelData, Send/Data indications: synchronous, no lock, no log,
/// no allocation), the <see cref="RequestPipeline"/> (which may await the credential and policy
/// stores) with one handler per TURN method, and the <see cref="State"/> and <see cref="Control"/>
/// views. Transports call it through <see cref="IClientMessageHandler"/>; it classifies each
/// message and routes it.
/// </summary>
internal sealed class RelayEngine : IClientMessageHandler, IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time;
    private readonly RelayMetrics _metrics;
    private readonly AllocationTable _table;
    private readonly SourceRequestRate _requestRate;
    private readonly RelayAddressPlanner _addresses;
    private readonly RelayDataPath _dataPath;
    private readonly RequestPipeline _requests;
    private readonly ResponseCache _responseCache;
    private readonly RelayStateChanges _changes;
    private readonly RelayTrafficLedger _traffic = new();
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _sweepTimer;
    private int _disposed;

    public RelayEngine(IOptions<RelayOptions> options, TimeProvider time, ICredentialStore credentials, IPeerPolicy peerPolicy,
        IRelaySocketFactory sockets, IEnumerable<IRelayEventSink> sinks, RelayMetrics metrics, ILogger<RelayEngine> logger,
        IRealmPolicyStore? policies = null, IUserHashResolver? userHashes = null, IRealmDirectory? realms = null,
        RelaySelfAddresses? selfAddresses = null, IAlternateServerDirectory? alternates = null, IClusterUserCounts? clusterCounts = null)
    {
        var settings = options.Value;
        _time = time;
        _metrics = metrics;
        var events = new RelayEventPublisher(sinks, time, logger);
        _changes = new RelayStateChanges(logger);
        var ports = new PortAllocator(settings.MinPort, settings.MaxPort, sockets, time);
        _table = new AllocationTable(ports, settings.MaxAllocations,
            time, _traffic, _changes, events, metrics, logger, clusterCounts);
        _addresses = new RelayAddressPlanner(settings);
        _dataPath = new RelayDataPath(_table, _traffic, time);
        State = new RelayStateView(_table, _changes, time);
        Control = new RelayControlView(_table, logger);

        var nonces = new NonceService(time, RelayLifetimes.Nonce,
            StunSecurityFeatures.PasswordAlgorithms | (userHashes is null ? StunSecurityFeatures.None : StunSecurityFeatures.UsernameAnonymity));
        _responseCache = new ResponseCache(time);
        // Realm selection and the request path's per-source limits (Realms/, Requests/).
        realms ??= new ConfiguredRealmDirectory(options);
        var budget = new UnauthenticatedAnswerBudget(settings, time, metrics);
        _requestRate = new SourceRequestRate(settings, time, metrics);
        var responses = new ResponseWriter(settings, nonces, _responseCache, budget, metrics, logger);
        var selector = new RealmSelector(realms, new AddressRealmMap(settings.AddressRealms), settings.DefaultRealm);
        var peerCheck = new PeerCheck(peerPolicy, responses, events, metrics,
            selfAddresses is null ? null : new SelfPeerGuard(selfAddresses, settings.MinPort, settings.MaxPort, ports.IsInUse));
        var allocateSuccess = new AllocateSuccessResponse(responses);
        var redirect = alternates is null ? null : new AllocateRedirect(_table, settings, alternates, responses, logger);
        var dispatcher = new MethodDispatcher(responses,
            new AllocateHandler(_table, new AllocatePlanner(_addresses, settings),
                new AllocateCommit(_table, _addresses, _dataPath, allocateSuccess, responses, events, _changes, metrics, time, logger, redirect),
                allocateSuccess, responses, events, metrics, redirect),
            new RefreshHandler(_table, responses, events, _changes, time),
            new CreatePermissionHandler(_table, peerCheck, responses, _changes, time),
            new ChannelBindHandler(_table, peerCheck, responses, _changes, time, settings.AllowRfc5766ChannelNumbers));
        var preAuthentication = new PreAuthentication(new RequestShapeCheck(acceptsUserHash: userHashes is not null), nonces,
            new UnauthenticatedResponder(budget, selector, nonces, responses, metrics), redirect);
        _requests = new RequestPipeline(_table, new BindingHandler(responses, metrics), _responseCache, budget, preAuthentication,
            new RequestAdmission(metrics, settings.MaxRequestsInFlightPerSource, settings.MaxRequestsInFlightPerPrefix),
            new RequestAuthenticator(userHashes, _table, responses, events, metrics),
            new CredentialResolver(credentials, realms, time), policies, dispatcher, responses, time, logger, _stopping.Token,
            clusterCounts is null ? null : new AllocateClusterQuota(_table, settings, clusterCounts));
        metrics.SetTotalsSource(ComputeTotals);
        metrics.SetPortsSource(() => ports.InUseCount, settings.MaxPort - settings.MinPort + 1);
    }

    /// <summary>The address advertised for IPv4 relays when neither RelayAddress nor a concrete listener address says.</summary>
    public TransportAddress? HostIPv4 => _addresses.HostIPv4;

    public TransportAddress? HostIPv6 => _addresses.HostIPv6;

    public int AllocationCount => _table.Count;

    /// <summary>Traffic and live counts per client transport, ended allocations included (the meter and IRelayStatus read it).</summary>
    public RelayTotals ComputeTotals() => _traffic.Compute(_table.Enumerate());

    /// <summary>Live allocations as snapshots, and change notifications.</summary>
    public IRelayState State { get; }

    /// <summary>Terminations, drain and resume.</summary>
    public IRelayControl Control { get; }

    /// <summary>No new allocation fits: Relay:MaxAllocations reached or no relay port left (what a redirect calls full).</summary>
    public bool IsFull => _table.IsFull;

    /// <summary>Starts the expiry sweep and change notifications.</summary>
    public void Start() => _sweepTimer ??= _time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);

    public bool HasAllocation(ClientConnection connection) => _table.Contains(connection.Key);

    // ---- Client traffic: classify and route ----------------------------------------------------

    public void OnDatagram(IDatagramEndpoint endpoint, in TransportAddress remote, ReadOnlySpan<byte> data)
    {
        var key = new FiveTupleKey(remote, endpoint.LocalId);
        switch (PacketClassifier.Classify(data))
        {
            case PacketKind.ChannelData:
                _dataPath.OnChannelData(key, data);
                break;
            case PacketKind.Stun:
                OnStun(key, endpoint, null, data);
                break;
            default:
                _metrics.RecordMalformed();
                break;
        }
    }

    public void OnStreamMessage(ClientConnection connection, ReadOnlySpan<byte> message)
    {
        switch (PacketClassifier.Classify(message))
        {
            case PacketKind.ChannelData:
                _dataPath.OnChannelData(connection.Key, message);
                break;
            case PacketKind.Stun:
                OnStun(connection.Key, null, connection, message);
                break;
            default:
                _metrics.RecordMalformed();
                break;
        }
    }

    public void OnStreamClosed(ClientConnection connection)
    {
        // RFC 8656 section 3.1: with TCP/TLS to the server, the allocation ends with the connection.
        if (_table.TryGet(connection.Key, out var allocation)) _table.Delete(allocation, "connection closed");
    }

    private void OnStun(in FiveTupleKey key, IDatagramEndpoint? endpoint, ClientConnection? connection, ReadOnlySpan<byte> data)
    {
        // A request (class bits C1 = C0 = 0 in the type) from a 5-tuple without an allocation is admitted at the
        // source's rate before anything else is read (SourceRequestRate); allocations' requests and data never count.
        if ((data[0] & 0x01) == 0 && (data[1] & 0x10) == 0 && !_table.Contains(key) && !_requestRate.TryAdmit(key.Client)) return;
        if (StunMessageReader.TryParse(data, out var message) != StunParseError.None)
        {
            // RFC 8489 section 6.3: malformed messages are silently discarded.
            _metrics.RecordMalformed();
            return;
        }
        switch (message.Class)
        {
            case StunClass.Indication:
                if (message.Method == StunMethod.Send) _dataPath.OnSendIndication(key, message);
                return;
            case StunClass.Request:
                _requests.Accept(key, endpoint, connection, message, data);
                return;
            default:
                return; // Responses are never sent to a server.
        }
    }

    // ---- Expiry ----------------------------------------------------------------------------------

    // One sweep for every expiry (allocations, permissions, channels, reservations, cached
    // responses), then a throttled change notification.
    internal void Sweep()
    {
        var now = _time.GetTimestamp();
        _table.Sweep(now);
        _responseCache.Sweep(now);
        _changes.NotifyIfChanged();
    }

    public void Dispose()
    {
        // Idempotent: the container and whoever else holds the engine may both dispose it.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        _sweepTimer?.Dispose();
        _table.DeleteAll("server stopping");
        _stopping.Dispose();
    }
}
