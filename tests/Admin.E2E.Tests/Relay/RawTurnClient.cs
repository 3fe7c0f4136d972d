using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Turn.Protocol;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// A TURN client on Turnstone's own wire-format library for what the real clients cannot show: the realm a 401
/// offers, a request with a chosen REALM and nonce, a raw ORIGIN, and a TLS allocation held across a certificate
/// reload (with the certificate its handshake was given). Over UDP or TLS; every exchange is bounded in time.
/// </summary>
internal sealed class RawTurnClient : IAsyncDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(3);

    private readonly Socket? _udp;
    private readonly IPEndPoint? _server;
    private readonly TcpClient? _tcp;
    private readonly SslStream? _tls;

    private RawTurnClient(Socket udp, IPEndPoint server)
    {
        _udp = udp;
        _server = server;
    }

    private RawTurnClient(TcpClient tcp, SslStream tls, X509Certificate2 presented)
    {
        _tcp = tcp;
        _tls = tls;
        PresentedCertificate = presented;
    }

    /// <summary>The certificate the server presented in the TLS handshake; null over UDP.</summary>
    public X509Certificate2? PresentedCertificate { get; }

    /// <summary>Credentials sent with <see cref="RequestAsync"/> when <c>authenticate</c> is true.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? Realm { get; set; }

    public string? Nonce { get; set; }

    /// <summary>Over UDP from a fresh port of <paramref name="local"/> (default 127.0.0.1).</summary>
    public static RawTurnClient Udp(IPEndPoint server, IPAddress? local = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(local ?? IPAddress.Loopback, 0));
        return new RawTurnClient(socket, server);
    }

    /// <summary>TLS to <paramref name="server"/> with SNI <paramref name="serverName"/>, verified against <paramref name="authority"/> only (host name included).</summary>
    public static async Task<RawTurnClient> TlsAsync(IPEndPoint server, string serverName, X509Certificate2 authority)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(server, timeout.Token);
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            var chain = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            chain.CustomTrustStore.Add(authority);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                CertificateChainPolicy = chain,
            }, timeout.Token);
            var presented = new X509Certificate2(tls.RemoteCertificate!);
            return new RawTurnClient(tcp, tls, presented);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public delegate void AttributeWriter(ref StunMessageWriter writer);

    /// <summary>One request and its answer; with <paramref name="authenticate"/>, USERNAME/REALM/NONCE/MESSAGE-INTEGRITY as set.</summary>
    public async Task<RawTurnResponse> RequestAsync(StunMethod method, AttributeWriter attributes, bool authenticate = true)
    {
        var id = TransactionId.NewRandom();
        var request = new byte[1024];
        var writer = new StunMessageWriter(request);
        writer.WriteHeader(method, StunClass.Request, id);
        attributes(ref writer);
        if (authenticate)
        {
            writer.WriteString(StunAttributeType.Username, Username);
            writer.WriteString(StunAttributeType.Realm, Realm);
            writer.WriteString(StunAttributeType.Nonce, Nonce);
            writer.WriteMessageIntegrity(LongTermKey.Compute(Username!, Realm!, Password!));
        }
        writer.WriteFingerprint();
        if (writer.HasFailed) throw new InvalidOperationException("The request did not fit its buffer.");
        await SendAsync(request.AsMemory(0, writer.Length));

        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        while (true)
        {
            var message = await ReceiveAsync(timeout.Token);
            if (Parse(message, id) is { } response) return response;
        }
    }

    /// <summary>The usual long-term exchange: the 401's realm and nonce are taken, then the request is sent again with credentials.</summary>
    public async Task<RawTurnResponse> AuthenticatedAsync(StunMethod method, AttributeWriter attributes)
    {
        var response = await RequestAsync(method, attributes, authenticate: Nonce is not null);
        if (response.ErrorCode is 401 or 438 && response.Nonce is not null)
        {
            (Realm, Nonce) = (response.Realm ?? Realm, response.Nonce);
            response = await RequestAsync(method, attributes);
        }
        return response;
    }

    /// <summary>A Send indication to <paramref name="peer"/> (the relay needs a permission for it).</summary>
    public async Task SendIndicationAsync(IPEndPoint peer, byte[] data)
    {
        var buffer = new byte[1024];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Send, StunClass.Indication, TransactionId.NewRandom());
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, TransportAddress.FromIPEndPoint(peer));
        writer.WriteAttribute(StunAttributeType.Data, data);
        writer.WriteFingerprint();
        await SendAsync(buffer.AsMemory(0, writer.Length));
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message)
    {
        if (_udp is not null) await _udp.SendToAsync(message, SocketFlags.None, _server!);
        else await _tls!.WriteAsync(message);
    }

    private async Task<byte[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (_udp is not null)
        {
            var buffer = new byte[2048];
            var received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
            return buffer[..received.ReceivedBytes];
        }

        // Over a stream a STUN message is its 20-byte header plus the length the header gives.
        var header = new byte[20];
        await _tls!.ReadExactlyAsync(header, cancellationToken);
        var message = new byte[20 + BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2))];
        header.CopyTo(message, 0);
        await _tls.ReadExactlyAsync(message.AsMemory(20), cancellationToken);
        return message;
    }

    private static RawTurnResponse? Parse(ReadOnlySpan<byte> message, TransactionId id)
    {
        if (StunMessageReader.TryParse(message, out var reader) != StunParseError.None || reader.TransactionId != id) return null;
        var code = 0;
        if (reader.Class == StunClass.ErrorResponse)
        {
            code = reader.TryGetAttribute(StunAttributeType.ErrorCode, out var error) && error.TryReadErrorCode(out var value, out _) ? value : -1;
        }
        var realm = reader.TryGetValue(StunAttributeType.Realm, out var realmBytes) ? Encoding.UTF8.GetString(realmBytes) : null;
        var nonce = reader.TryGetValue(StunAttributeType.Nonce, out var nonceBytes) ? Encoding.UTF8.GetString(nonceBytes) : null;
        var relayed = reader.TryGetXorAddress(StunAttributeType.XorRelayedAddress, out var address) ? address.ToIPEndPoint() : null;
        return new RawTurnResponse(code, realm, nonce, relayed);
    }

    public async ValueTask DisposeAsync()
    {
        _udp?.Dispose();
        if (_tls is not null) await _tls.DisposeAsync();
        _tcp?.Dispose();
        PresentedCertificate?.Dispose();
    }
}
