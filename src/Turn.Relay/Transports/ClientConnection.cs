using System.Net;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports;

/// <summary>
/// The engine's handle on one client 5-tuple: where responses, Data indications and ChannelData
/// go. The engine never sees a socket; tests substitute an in-memory connection.
/// </summary>
internal abstract class ClientConnection
{
    private static int s_nextLocalId;

    protected ClientConnection(RelayTransport transport, TransportAddress remote, TransportAddress local, int localId)
    {
        Transport = transport;
        Remote = remote;
        Local = local;
        Key = new FiveTupleKey(remote, localId);
    }

    /// <summary>A process-wide unique id for a new listener or stream connection.</summary>
    public static int NewLocalId() => Interlocked.Increment(ref s_nextLocalId);

    public RelayTransport Transport { get; }

    public FiveTupleKey Key { get; }

    public TransportAddress Remote { get; }

    /// <summary>The server address the client reached (used as the default relayed address).</summary>
    public TransportAddress Local { get; }

    public bool IsStream => Transport != RelayTransport.Udp;

    public IPEndPoint RemoteEndPoint => Remote.ToIPEndPoint();

    /// <summary>The TLS SNI host name the client asked for; null for UDP, plain TCP, or a handshake without SNI.</summary>
    public string? ServerName { get; protected set; }

    private volatile bool _authenticated;

    /// <summary>True once a request on this connection passed MESSAGE-INTEGRITY (stream limits close those that never do).</summary>
    public bool IsAuthenticated => _authenticated;

    /// <summary>Called by the request pipeline after a request authenticated.</summary>
    public void MarkAuthenticated() => _authenticated = true;

    /// <summary>
    /// Sends one whole STUN message or ChannelData message. Stream transports add ChannelData
    /// padding (RFC 8656 section 12.5) themselves. Never blocks; false when dropped (queue full,
    /// closed). <paramref name="message"/> is only borrowed for the call.
    /// </summary>
    public abstract bool Send(ReadOnlySpan<byte> message);

    /// <summary>Closes a stream connection (its allocation is gone); a no-op for UDP.</summary>
    public abstract void Close();
}
