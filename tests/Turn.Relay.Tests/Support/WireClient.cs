using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Turn.Protocol;

namespace Turn.Relay.Tests.Support;

/// <summary>
/// A TURN client over real sockets (UDP, TCP or TLS), built on the protocol library, for tests
/// against the hosted engine. Every receive is bounded in time.
/// </summary>
internal sealed class WireClient : IAsyncDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket? _udp;
    private readonly IPEndPoint _server;
    private readonly Stream? _stream;
    private readonly TcpClient? _tcp;
    private readonly bool _ownsSocket;
    private readonly byte[] _streamBuffer = new byte[70_000];
    private int _streamFilled;

    private WireClient(IPEndPoint server, Socket? udp, TcpClient? tcp, Stream? stream, bool ownsSocket = true)
    {
        _server = server;
        _udp = udp;
        _tcp = tcp;
        _stream = stream;
        _ownsSocket = ownsSocket;
    }

    /// <summary>UDP: where the last received datagram came from.</summary>
    public IPEndPoint? LastSource { get; private set; }

    public string Username { get; set; } = "alice";

    public string Password { get; set; } = "secret";

    public string Realm { get; set; } = "";

    public string Nonce { get; set; } = "";

    public byte[] Key => LongTermKey.Compute(Username, Realm, Password);

    public static WireClient Udp(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return new WireClient(server, socket, null, null);
    }

    /// <summary>
    /// A UDP client on a socket the caller owns (and may share between clients of different server
    /// addresses, used one after the other): the same client port reaching two server addresses.
    /// </summary>
    public static WireClient Udp(IPEndPoint server, Socket shared) => new(server, shared, null, null, ownsSocket: false);

    /// <summary>A TCP client; a <paramref name="receiveBufferSize"/> set before connecting bounds its receive window.</summary>
    public static async Task<WireClient> TcpAsync(IPEndPoint server, int receiveBufferSize = 0)
    {
        var tcp = new TcpClient();
        if (receiveBufferSize > 0) tcp.ReceiveBufferSize = receiveBufferSize;
        await tcp.ConnectAsync(server);
        return new WireClient(server, null, tcp, tcp.GetStream());
    }

    public static async Task<WireClient> TlsAsync(IPEndPoint server)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(server);
        // The test server uses a throwaway self-signed certificate.
        var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync("turnstone");
        return new WireClient(server, null, tcp, ssl);
    }

    public async Task SendAsync(byte[] message)
    {
        if (_udp is not null) await _udp.SendToAsync(message, SocketFlags.None, _server);
        else await _stream!.WriteAsync(message);
    }

    /// <summary>The next message (a STUN message, or a ChannelData frame with its padding on streams).</summary>
    public async Task<byte[]> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        if (_udp is not null)
        {
            var buffer = new byte[70_000];
            var result = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(_udp.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), timeout.Token);
            LastSource = (IPEndPoint)result.RemoteEndPoint;
            return buffer[..result.ReceivedBytes];
        }
        while (true)
        {
            if (StreamFraming.TryGetFrameLength(_streamBuffer.AsSpan(0, _streamFilled), out _, out var frame) == StreamFrameStatus.Frame
                && frame <= _streamFilled)
            {
                var message = _streamBuffer[..frame];
                _streamBuffer.AsSpan(frame, _streamFilled - frame).CopyTo(_streamBuffer);
                _streamFilled -= frame;
                return message;
            }
            var read = await _stream!.ReadAsync(_streamBuffer.AsMemory(_streamFilled), timeout.Token);
            if (read == 0) throw new EndOfStreamException("Server closed the connection.");
            _streamFilled += read;
        }
    }

    /// <summary>True when the server closes the stream within <paramref name="within"/>.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await _stream!.ReadAsync(_streamBuffer, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async Task<StunResponse> RequestAsync(StunMethod method, AttributeWriter? attributes, bool authenticate = true)
    {
        var id = TransactionId.NewRandom();
        var buffer = new byte[2048];
        var length = Build(buffer, method, id, attributes, authenticate);
        await SendAsync(buffer[..length]);
        while (true)
        {
            var message = await ReceiveAsync();
            if ((message[0] & 0xC0) != 0) continue;
            var response = StunResponse.Parse(message);
            if (response.TransactionId == id) return response;
        }
    }

    private int Build(byte[] buffer, StunMethod method, TransactionId id, AttributeWriter? attributes, bool authenticate)
    {
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(method, StunClass.Request, id);
        attributes?.Invoke(ref writer);
        if (authenticate)
        {
            writer.WriteString(StunAttributeType.Username, Username);
            writer.WriteString(StunAttributeType.Realm, Realm);
            writer.WriteString(StunAttributeType.Nonce, Nonce);
            writer.WriteMessageIntegrity(Key);
        }
        writer.WriteFingerprint();
        return writer.Length;
    }

    /// <summary>401 round trip then an authenticated Allocate for a UDP relay.</summary>
    public async Task<StunResponse> AllocateAsync()
    {
        var challenge = await RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false);
        if (challenge.ErrorCode != 401) throw new InvalidOperationException($"Expected 401, got {challenge.ErrorCode}");
        Realm = challenge.Realm!;
        Nonce = challenge.Nonce!;
        return await RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17));
    }

    public Task<StunResponse> CreatePermissionAsync(TransportAddress peer) =>
        RequestAsync(StunMethod.CreatePermission, (ref StunMessageWriter w) => w.WriteXorAddress(StunAttributeType.XorPeerAddress, peer));

    public Task<StunResponse> ChannelBindAsync(ushort channel, TransportAddress peer) =>
        RequestAsync(StunMethod.ChannelBind, (ref StunMessageWriter w) =>
        {
            w.WriteChannelNumber(channel);
            w.WriteXorAddress(StunAttributeType.XorPeerAddress, peer);
        });

    public async Task SendIndicationAsync(TransportAddress peer, byte[] data)
    {
        var buffer = new byte[data.Length + 64];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Send, StunClass.Indication, TransactionId.NewRandom());
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, peer);
        writer.WriteData(data);
        await SendAsync(buffer[..writer.Length]);
    }

    public async Task SendChannelDataAsync(ushort channel, byte[] data)
    {
        var buffer = new byte[data.Length + 8];
        ChannelData.TryWrite(buffer, channel, data, padToFour: _udp is null, out var written);
        await SendAsync(buffer[..written]);
    }

    public static ushort ChannelOf(byte[] frame) => BinaryPrimitives.ReadUInt16BigEndian(frame);

    public async ValueTask DisposeAsync()
    {
        if (_ownsSocket) _udp?.Dispose();
        if (_stream is not null) await _stream.DisposeAsync();
        _tcp?.Dispose();
    }
}
