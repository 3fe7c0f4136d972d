using System.Net;
using System.Net.Sockets;
using System.Text;
using Turn.Protocol;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// A minimal TURN client over UDP on Turnstone's own wire-format library, for what the real clients cannot do:
/// keep an allocation open across a database change and then Refresh it, poll a credential change with a
/// bounded deadline, and authenticate with an RFC 8489 USERHASH. Every receive is bounded in time.
/// </summary>
internal sealed class TurnProbe : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly string _realm;
    private readonly string _user;
    private readonly string _password;
    private string? _nonce;

    public TurnProbe(IPEndPoint server, string realm, string user, string password, bool useUserHash = false)
    {
        _server = server;
        _realm = realm;
        _user = user;
        _password = password;
        UseUserHash = useUserHash;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    /// <summary>Send USERHASH (SHA-256 of "user:realm") instead of USERNAME.</summary>
    public bool UseUserHash { get; }

    /// <summary>The relayed address of the last successful Allocate.</summary>
    public IPEndPoint? RelayedAddress { get; private set; }

    /// <summary>Allocate (UDP relay): 0 on success, else the STUN error code (401 = credentials refused).</summary>
    public async Task<int> AllocateAsync()
    {
        var response = await RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17));
        if (response.ErrorCode == 0) RelayedAddress = response.RelayedAddress;
        return response.ErrorCode;
    }

    /// <summary>Refresh with LIFETIME (0 deletes): 0 on success, else the error code (437 = no such allocation).</summary>
    public async Task<int> RefreshAsync(uint lifetimeSeconds = 600) =>
        (await RequestAsync(StunMethod.Refresh, (ref StunMessageWriter w) => w.WriteLifetime(lifetimeSeconds))).ErrorCode;

    public async Task<int> CreatePermissionAsync(IPAddress peer)
    {
        var address = TransportAddress.FromIPAddress(peer, 9);
        return (await RequestAsync(StunMethod.CreatePermission, (ref StunMessageWriter w) => w.WriteXorAddress(StunAttributeType.XorPeerAddress, address))).ErrorCode;
    }

    public void Dispose() => _socket.Dispose();

    private delegate void AttributeWriter(ref StunMessageWriter writer);

    // The long-term mechanism: a request without credentials (or with a stale nonce) draws a 401/438 with a
    // nonce; the request is then repeated once with credentials. An authenticated request refused with 401 is final.
    private async Task<Response> RequestAsync(StunMethod method, AttributeWriter attributes)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await ExchangeAsync(method, attributes, authenticate: _nonce is not null);
            var challenged = response.ErrorCode == 438 || (response.ErrorCode == 401 && !response.Authenticated);
            if (response.Nonce is not null && response.ErrorCode is 401 or 438) _nonce = response.Nonce;
            if (!challenged || attempt == 2) return response;
        }
    }

    private async Task<Response> ExchangeAsync(StunMethod method, AttributeWriter attributes, bool authenticate)
    {
        var id = TransactionId.NewRandom();
        var request = new byte[1024];
        var length = Build(request, method, id, attributes, authenticate);
        await _socket.SendToAsync(request.AsMemory(0, length), SocketFlags.None, _server);
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        while (true)
        {
            var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            if (Parse(buffer.AsSpan(0, received.ReceivedBytes), id, authenticate) is { } response) return response;
        }
    }

    private int Build(Span<byte> buffer, StunMethod method, TransactionId id, AttributeWriter attributes, bool authenticate)
    {
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(method, StunClass.Request, id);
        attributes(ref writer);
        if (authenticate)
        {
            if (UseUserHash) writer.WriteAttribute(StunAttributeType.UserHash, UserHash.Compute(_user, _realm));
            else writer.WriteString(StunAttributeType.Username, _user);
            writer.WriteString(StunAttributeType.Realm, _realm);
            writer.WriteString(StunAttributeType.Nonce, _nonce);
            writer.WriteMessageIntegrity(LongTermKey.Compute(_user, _realm, _password));
        }
        writer.WriteFingerprint();
        if (writer.HasFailed) throw new InvalidOperationException("The probe's request did not fit its buffer.");
        return writer.Length;
    }

    private static Response? Parse(ReadOnlySpan<byte> message, TransactionId id, bool authenticated)
    {
        if (StunMessageReader.TryParse(message, out var reader) != StunParseError.None || reader.TransactionId != id) return null;
        var code = 0;
        if (reader.Class == StunClass.ErrorResponse)
        {
            code = reader.TryGetAttribute(StunAttributeType.ErrorCode, out var error) && error.TryReadErrorCode(out var value, out _) ? value : -1;
        }
        string? nonce = reader.TryGetValue(StunAttributeType.Nonce, out var nonceBytes) ? Encoding.UTF8.GetString(nonceBytes) : null;
        IPEndPoint? relayed = reader.TryGetXorAddress(StunAttributeType.XorRelayedAddress, out var address) ? address.ToIPEndPoint() : null;
        return new Response(code, nonce, relayed, authenticated);
    }

    private sealed record Response(int ErrorCode, string? Nonce, IPEndPoint? RelayedAddress, bool Authenticated);
}
