using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Auth;
using Turn.Relay.Diagnostics;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Engine;

/// <summary>
/// The TURN server of RFC 8656: answers requests, keeps allocations, relays data. Transports call
/// it through <see cref="IClientMessageHandler"/>; relay sockets through a per-allocation
/// receiver. The relay data path (ChannelData, Send/Data indications) is synchronous, takes no
/// lock, logs nothing and allocates nothing; requests go through an async path that may await the
/// credential and policy stores.
/// </summary>
internal sealed partial class RelayEngine : IClientMessageHandler, IRelayState, IRelayControl, IDisposable
{
    private const int MaxCachedResponses = 10_000;
    private const int MaxPermissionsPerAllocation = 1_000;
    private const int ResponseBufferSize = 2_048;

    // Requests waiting on the credential or policy store at once. Beyond it requests are dropped
    // (clients retransmit), so a flood of made-up user names cannot pile up unbounded work.
    private const int MaxRequestsInFlight = 2_048;

    private readonly RelayOptions _options;
    private readonly TimeProvider _time;
    private readonly CredentialResolver _credentials;
    private readonly IRealmPolicyStore? _policies;
    private readonly IUserHashResolver? _userHashes;
    private readonly IPeerPolicy _peerPolicy;
    private readonly IRelayEventSink[] _sinks;
    private readonly RelayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly NonceService _nonces;
    private readonly PortAllocator _ports;
    private readonly CancellationTokenSource _stopping = new();

    // Flat lookups: the client 5-tuple and the allocation id to the allocation.
    private readonly ConcurrentDictionary<FiveTupleKey, Allocation> _byFiveTuple = new();
    private readonly ConcurrentDictionary<string, Allocation> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ulong, Reservation> _reservations = new();
    private readonly ConcurrentDictionary<ResponseCacheKey, CachedResponse> _responses = new();

    // Quota bookkeeping; changed only under _allocationLock (control path).
    private readonly Lock _allocationLock = new();
    private readonly Dictionary<(string Realm, string User), int> _perUser = [];
    private readonly Dictionary<string, int> _perRealm = new(StringComparer.Ordinal);

    private readonly RelayTransportTotals[] _deletedTotals = [new(), new(), new()];
    private long _droppedUnknown;
    private int _requestsInFlight;
    private readonly long _cacheTicks;
    private readonly long _quarantineTicks;
    private readonly TransportAddress? _relayV4;
    private readonly TransportAddress? _relayV6;
    private readonly TransportAddress? _externalV4;
    private readonly TransportAddress? _externalV6;
    private readonly byte[] _softwareBytes;
    private ITimer? _sweepTimer;
    private int _draining;   // 1 while draining (Interlocked: one caller changes it)
    private int _disposed;

    public RelayEngine(IOptions<RelayOptions> options, TimeProvider time, ICredentialStore credentials, IPeerPolicy peerPolicy,
        IRelaySocketFactory sockets, IEnumerable<IRelayEventSink> sinks, RelayMetrics metrics, ILogger<RelayEngine> logger,
        IRealmPolicyStore? policies = null, IUserHashResolver? userHashes = null)
    {
        _options = options.Value;
        _time = time;
        _credentials = new CredentialResolver(credentials, time);
        _policies = policies;
        _peerPolicy = peerPolicy;
        _sinks = [.. sinks];
        _metrics = metrics;
        _logger = logger;
        _userHashes = userHashes;
        _nonces = new NonceService(time, RelayLifetimes.Nonce,
            StunSecurityFeatures.PasswordAlgorithms | (userHashes is null ? StunSecurityFeatures.None : StunSecurityFeatures.UsernameAnonymity));
        _ports = new PortAllocator(_options.MinPort, _options.MaxPort, sockets);
        _cacheTicks = Ticks(TimeSpan.FromSeconds(40));
        _quarantineTicks = Ticks(RelayLifetimes.ChannelQuarantine);
        _softwareBytes = System.Text.Encoding.UTF8.GetBytes(_options.Software);
        if (!string.IsNullOrWhiteSpace(_options.RelayAddress))
        {
            var relay = TransportAddress.FromIPAddress(IPAddress.Parse(_options.RelayAddress), 0);
            if (relay.IsIPv4) _relayV4 = relay;
            else _relayV6 = relay;
        }
        if (!string.IsNullOrWhiteSpace(_options.ExternalAddress))
        {
            var external = TransportAddress.FromIPAddress(IPAddress.Parse(_options.ExternalAddress), 0);
            if (external.IsIPv4) _externalV4 = external;
            else _externalV6 = external;
        }
        HostIPv4 = FindHostAddress(AddressFamily.InterNetwork);
        HostIPv6 = Socket.OSSupportsIPv6 ? FindHostAddress(AddressFamily.InterNetworkV6) : null;
        metrics.SetTotalsSource(ComputeTotals);
    }

    /// <summary>The address advertised for IPv4 relays when neither RelayAddress nor a concrete listener address says.</summary>
    public TransportAddress? HostIPv4 { get; }

    public TransportAddress? HostIPv6 { get; }

    public int AllocationCount => _byFiveTuple.Count;

    /// <summary>Starts the expiry sweep and change notifications.</summary>
    public void Start() =>
        _sweepTimer ??= _time.CreateTimer(_ => Sweep(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));

    public bool HasAllocation(ClientConnection connection) => _byFiveTuple.ContainsKey(connection.Key);

    // ---- Client traffic -------------------------------------------------------------------

    public void OnDatagram(IDatagramEndpoint endpoint, in TransportAddress remote, ReadOnlySpan<byte> data)
    {
        var key = new FiveTupleKey(remote, endpoint.LocalId);
        switch (PacketClassifier.Classify(data))
        {
            case PacketKind.ChannelData:
                if (_byFiveTuple.TryGetValue(key, out var allocation)) RelayChannelDataToPeer(allocation, data);
                else Interlocked.Increment(ref _droppedUnknown);
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
                if (_byFiveTuple.TryGetValue(connection.Key, out var allocation)) RelayChannelDataToPeer(allocation, message);
                else Interlocked.Increment(ref _droppedUnknown);
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
        if (_byFiveTuple.TryGetValue(connection.Key, out var allocation)) Delete(allocation, "connection closed");
    }

    private void OnStun(in FiveTupleKey key, IDatagramEndpoint? endpoint, ClientConnection? connection, ReadOnlySpan<byte> data)
    {
        if (StunMessageReader.TryParse(data, out var message) != StunParseError.None)
        {
            // RFC 8489 section 6.3: malformed messages are silently discarded.
            _metrics.RecordMalformed();
            return;
        }
        switch (message.Class)
        {
            case StunClass.Indication:
                if (message.Method == StunMethod.Send && _byFiveTuple.TryGetValue(key, out var sender)) RelaySendIndication(sender, message);
                return;
            case StunClass.Request:
                break;
            default:
                return; // Responses are never sent to a server.
        }

        _byFiveTuple.TryGetValue(key, out var existing);
        var client = existing?.Client ?? connection ?? endpoint!.CreateConnection(key.Client);
        if (message.Method == StunMethod.Binding)
        {
            AnswerBinding(client, message);
            return;
        }

        var cacheKey = new ResponseCacheKey(message.TransactionId, key);
        if (_responses.TryGetValue(cacheKey, out var cached))
        {
            // A retransmission: same answer, or nothing while the first copy is being answered.
            if (cached.Bytes is { } bytes) client.Send(bytes);
            return;
        }
        if (Interlocked.Increment(ref _requestsInFlight) > MaxRequestsInFlight)
        {
            Interlocked.Decrement(ref _requestsInFlight);
            _metrics.RecordOverload();
            return;
        }
        var isCached = _responses.Count < MaxCachedResponses
            && _responses.TryAdd(cacheKey, new CachedResponse(_time.GetTimestamp() + _cacheTicks));
        var copy = System.Buffers.ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(copy);
        _ = ProcessRequestAsync(new RequestContext(client, copy, data.Length, cacheKey, isCached));
    }

    // ---- Relay data path ---------------------------------------------------------------------

    private void RelaySendIndication(Allocation allocation, in StunMessageReader message)
    {
        // RFC 8656 section 10.2: no XOR-PEER-ADDRESS or DATA, or no permission: silently discard.
        if (!message.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var peer)
            || !message.TryGetValue(StunAttributeType.Data, out var data))
        {
            allocation.DroppedFromClient++;
            return;
        }
        var now = _time.GetTimestamp();
        if (!IsLive(allocation, now) || !HasPermission(allocation, peer, now))
        {
            allocation.DroppedFromClient++;
            return;
        }
        SendToPeer(allocation, data, peer, now);
    }

    private void RelayChannelDataToPeer(Allocation allocation, ReadOnlySpan<byte> packet)
    {
        if (ChannelData.TryParse(packet, out var number, out var data) != ChannelDataParseError.None)
        {
            allocation.DroppedFromClient++;
            return;
        }
        var now = _time.GetTimestamp();
        // RFC 8656 section 12.6: an unbound (or expired) channel is silently discarded.
        if (!IsLive(allocation, now)
            || !allocation.ChannelsByNumber.TryGetValue(number, out var binding)
            || now >= binding.ExpiresAt
            || !HasPermission(allocation, binding.Peer, now))
        {
            allocation.DroppedFromClient++;
            return;
        }
        SendToPeer(allocation, data, binding.Peer, now);
    }

    private void SendToPeer(Allocation allocation, ReadOnlySpan<byte> data, in TransportAddress peer, long now)
    {
        if (allocation.ToPeerLimit is { } limit && !limit.TryTake(data.Length, now))
        {
            allocation.DroppedFromClient++;
            return;
        }
        if (!allocation.Socket.SendTo(data, peer))
        {
            allocation.DroppedFromClient++;
            return;
        }
        allocation.PacketsFromClient++;
        allocation.BytesFromClient += data.Length;
    }

    /// <summary>A datagram from a peer, at <see cref="PeerDatagramLayout.Headroom"/> in <paramref name="buffer"/>.</summary>
    internal void OnPeerDatagram(Allocation allocation, Span<byte> buffer, int length, in TransportAddress peer)
    {
        var now = _time.GetTimestamp();
        // RFC 8656 section 11.3 / 12.7: only peers with a permission reach the client.
        if (!IsLive(allocation, now) || !HasPermission(allocation, peer, now))
        {
            allocation.DroppedToClient++;
            return;
        }
        if (allocation.ToClientLimit is { } limit && !limit.TryTake(length, now))
        {
            allocation.DroppedToClient++;
            return;
        }
        ReadOnlySpan<byte> framed;
        if (allocation.ChannelsByPeer.TryGetValue(peer, out var binding) && now < binding.ExpiresAt)
        {
            var start = PeerDatagramLayout.Headroom - ChannelData.HeaderLength;
            // Stream connections pad ChannelData themselves as they queue it.
            ChannelData.TryWriteHeader(buffer[start..], binding.Number, length, padToFour: false, out var written);
            framed = buffer.Slice(start, written);
        }
        else
        {
            framed = WriteDataIndication(buffer, length, peer);
        }
        if (framed.IsEmpty || !allocation.Client.Send(framed))
        {
            allocation.DroppedToClient++;
            return;
        }
        allocation.PacketsToClient++;
        allocation.BytesToClient += length;
    }

    // Builds a Data indication (RFC 8656 section 11.3) around the payload in place.
    private static ReadOnlySpan<byte> WriteDataIndication(Span<byte> buffer, int length, TransportAddress peer)
    {
        var addressLength = peer.IsIPv4 ? 8 : 20;
        var headerLength = StunConstants.HeaderLength + StunConstants.AttributeHeaderLength + addressLength + StunConstants.AttributeHeaderLength;
        var start = PeerDatagramLayout.Headroom - headerLength;
        var writer = new StunMessageWriter(buffer.Slice(start, headerLength - StunConstants.AttributeHeaderLength));
        writer.WriteHeader(StunMethod.Data, StunClass.Indication, DataIndicationIds.Next());
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, peer);
        if (writer.HasFailed) return default;
        var dataHeader = buffer.Slice(PeerDatagramLayout.Headroom - StunConstants.AttributeHeaderLength, StunConstants.AttributeHeaderLength);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(dataHeader, (ushort)StunAttributeType.Data);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(dataHeader[2..], (ushort)length);
        var padded = (length + 3) & ~3;
        buffer.Slice(PeerDatagramLayout.Headroom + length, padded - length).Clear();
        var total = headerLength + padded;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(buffer[(start + 2)..], (ushort)(total - StunConstants.HeaderLength));
        return buffer.Slice(start, total);
    }

    private static bool IsLive(Allocation allocation, long now) => !allocation.IsDeleted && now < allocation.ExpiresAt;

    private static bool HasPermission(Allocation allocation, in TransportAddress peer, long now) =>
        allocation.Permissions.TryGetValue(peer.WithPort(0), out var permission) && now < permission.ExpiresAt;

    // ---- Helpers -----------------------------------------------------------------------------

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private DateTimeOffset ToUtc(long timestamp, long now, DateTimeOffset utcNow) =>
        utcNow + TimeSpan.FromSeconds((double)(timestamp - now) / _time.TimestampFrequency);

    private static TransportAddress? FindHostAddress(AddressFamily family)
    {
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    var address = unicast.Address;
                    if (address.AddressFamily != family || address.IsIPv6LinkLocal) continue;
                    return TransportAddress.FromIPAddress(address, 0);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Fall back to loopback below.
        }
        return family == AddressFamily.InterNetwork
            ? TransportAddress.FromIPAddress(IPAddress.Loopback, 0)
            : Socket.OSSupportsIPv6 ? TransportAddress.FromIPAddress(IPAddress.IPv6Loopback, 0) : null;
    }

    public void Dispose()
    {
        // Registered under several service types, so the container may dispose it more than once.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        _sweepTimer?.Dispose();
        foreach (var allocation in _byId.Values) Delete(allocation, "server stopping");
        foreach (var reservation in _reservations.Values)
        {
            if (_reservations.TryRemove(reservation.Token, out _)) _ports.Release(reservation.Socket);
        }
        _stopping.Dispose();
    }
}
