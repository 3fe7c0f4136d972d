using Turn.Protocol;
using Turn.Relay.Engine;
using Turn.Relay.Transports;

namespace Turn.Relay.Tests.Support;

/// <summary>
/// A TURN client driving the engine in memory: builds requests with the protocol library, runs the
/// long-term credential exchange, and reads what the engine sent back.
/// </summary>
internal sealed class TestClient
{
    private readonly RelayEngine _engine;
    private readonly TestDatagramEndpoint? _endpoint;
    private readonly TestStreamConnection? _stream;

    public TestClient(RelayEngine engine, TestDatagramEndpoint endpoint, TransportAddress address, string username, string password, string realm)
    {
        _engine = engine;
        _endpoint = endpoint;
        Address = address;
        Username = username;
        Password = password;
        Realm = realm;
    }

    public TestClient(RelayEngine engine, TestStreamConnection stream, string username, string password, string realm)
    {
        _engine = engine;
        _stream = stream;
        Address = stream.Remote;
        Username = username;
        Password = password;
        Realm = realm;
    }

    public TransportAddress Address { get; }

    public string Username { get; set; }

    public string Password { get; set; }

    public string Realm { get; set; }

    public string? Nonce { get; set; }

    public bool UseSha256 { get; set; }

    /// <summary>Retry once with the new nonce after a 438, as real clients do.</summary>
    public bool RetryStaleNonce { get; set; } = true;

    public byte[] Key => LongTermKey.Compute(Username, Realm, Password);

    /// <summary>Sends raw bytes as this client.</summary>
    public void SendRaw(ReadOnlySpan<byte> bytes)
    {
        if (_stream is not null) _engine.OnStreamMessage(_stream, bytes);
        else _engine.OnDatagram(_endpoint!, Address, bytes);
    }

    /// <summary>Everything the engine has sent to this client so far, oldest first, and forgets it.</summary>
    public List<byte[]> Drain()
    {
        var queue = _stream?.Sent ?? _endpoint!.OutboxFor(Address);
        var list = new List<byte[]>();
        while (queue.TryDequeue(out var item)) list.Add(item);
        return list;
    }

    public byte[] BuildRequest(StunMethod method, TransactionId id, AttributeWriter? attributes, bool authenticate, bool fingerprint = false)
    {
        var buffer = new byte[4096];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(method, StunClass.Request, id);
        attributes?.Invoke(ref writer);
        if (authenticate)
        {
            writer.WriteString(StunAttributeType.Username, Username);
            writer.WriteString(StunAttributeType.Realm, Realm);
            writer.WriteString(StunAttributeType.Nonce, Nonce ?? "");
            if (UseSha256) writer.WriteMessageIntegritySha256(Key);
            else writer.WriteMessageIntegrity(Key);
        }
        if (fingerprint) writer.WriteFingerprint();
        if (writer.HasFailed) throw new InvalidOperationException("Request did not fit.");
        return buffer[..writer.Length];
    }

    /// <summary>Sends a request and returns the one response the engine sent for it.</summary>
    public StunResponse Request(StunMethod method, AttributeWriter? attributes = null, bool authenticate = true, TransactionId? id = null, bool fingerprint = false)
    {
        if (authenticate && Nonce is null) Challenge();
        var transaction = id ?? TransactionId.NewRandom();
        SendRaw(BuildRequest(method, transaction, attributes, authenticate, fingerprint));
        var responses = Drain().Select(StunResponse.Parse).Where(r => r.TransactionId == transaction).ToList();
        Assert.Single(responses);
        var response = responses[0];
        if (response.ErrorCode == 438 && response.Nonce is not null) Nonce = response.Nonce;
        if (response.ErrorCode == 438 && response.Nonce is not null && id is null && RetryStaleNonce)
        {
            // As real clients do: try once more with the fresh nonce.
            return Request(method, attributes, authenticate, null, fingerprint);
        }
        return response;
    }

    /// <summary>The first, unauthenticated round trip: learns REALM and NONCE from the 401.</summary>
    public StunResponse Challenge()
    {
        var transaction = TransactionId.NewRandom();
        SendRaw(BuildRequest(StunMethod.Allocate, transaction, UdpTransport, authenticate: false));
        var response = StunResponse.Parse(Assert.Single(Drain()));
        Assert.Equal(401, response.ErrorCode);
        Nonce = response.Nonce;
        Realm = response.Realm ?? Realm;
        return response;
    }

    public StunResponse Allocate(AttributeWriter? extra = null, TransactionId? id = null) =>
        Request(StunMethod.Allocate, (ref StunMessageWriter w) =>
        {
            w.WriteRequestedTransport(17);
            extra?.Invoke(ref w);
        }, id: id);

    public StunResponse Refresh(uint? lifetime = null) =>
        Request(StunMethod.Refresh, (ref StunMessageWriter w) =>
        {
            if (lifetime is { } l) w.WriteLifetime(l);
        });

    public StunResponse CreatePermission(params TransportAddress[] peers) =>
        Request(StunMethod.CreatePermission, (ref StunMessageWriter w) =>
        {
            foreach (var peer in peers) w.WriteXorAddress(StunAttributeType.XorPeerAddress, peer);
        });

    public StunResponse ChannelBind(ushort channel, TransportAddress peer) =>
        Request(StunMethod.ChannelBind, (ref StunMessageWriter w) =>
        {
            w.WriteChannelNumber(channel);
            w.WriteXorAddress(StunAttributeType.XorPeerAddress, peer);
        });

    public void SendIndication(TransportAddress peer, byte[] data)
    {
        var buffer = new byte[data.Length + 64];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Send, StunClass.Indication, TransactionId.NewRandom());
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, peer);
        writer.WriteData(data);
        SendRaw(buffer.AsSpan(0, writer.Length));
    }

    public void SendChannelData(ushort channel, byte[] data)
    {
        var buffer = new byte[data.Length + 8];
        ChannelData.TryWrite(buffer, channel, data, padToFour: _stream is not null, out var written);
        SendRaw(buffer.AsSpan(0, written));
    }

    private static void UdpTransport(ref StunMessageWriter writer) => writer.WriteRequestedTransport(17);
}
