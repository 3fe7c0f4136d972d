using System.Collections.Concurrent;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Tests.Support;

/// <summary>An in-memory TCP connection: records what the engine sends, as the engine hands it over.</summary>
internal sealed class TestStreamConnection(TransportAddress remote, TransportAddress local)
    : ClientConnection(RelayTransport.Tcp, remote, local, NewLocalId())
{
    public ConcurrentQueue<byte[]> Sent { get; } = new();

    public bool Closed { get; private set; }

    /// <summary>As the TLS transport sets it from SNI.</summary>
    public void SetServerName(string? name) => ServerName = name;

    public override bool Send(ReadOnlySpan<byte> message)
    {
        Sent.Enqueue(message.ToArray());
        return true;
    }

    public override void Close() => Closed = true;
}
