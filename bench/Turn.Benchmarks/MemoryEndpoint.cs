using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Benchmarks;

/// <summary>An in-memory UDP listener: counts what the engine sends and keeps the last message.</summary>
internal sealed class MemoryEndpoint(TransportAddress local) : IDatagramEndpoint
{
    private readonly byte[] _last = new byte[2048];
    private int _lastLength;

    public int LocalId { get; } = ClientConnection.NewLocalId();

    public TransportAddress LocalAddress { get; } = local;

    public long Sent;

    public ReadOnlySpan<byte> LastSent => _last.AsSpan(0, _lastLength);

    public ClientConnection CreateConnection(in TransportAddress remote) => new Connection(this, remote);

    private void Record(ReadOnlySpan<byte> message)
    {
        Sent++;
        _lastLength = Math.Min(message.Length, _last.Length);
        message[.._lastLength].CopyTo(_last);
    }

    private sealed class Connection(MemoryEndpoint endpoint, TransportAddress remote)
        : ClientConnection(RelayTransport.Udp, remote, endpoint.LocalAddress, endpoint.LocalId)
    {
        public override bool Send(ReadOnlySpan<byte> message)
        {
            endpoint.Record(message);
            return true;
        }

        public override void Close()
        {
            // UDP: nothing to close.
        }
    }
}
