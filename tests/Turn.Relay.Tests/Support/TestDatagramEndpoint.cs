using System.Collections.Concurrent;
using Turn.Protocol;
using Turn.Relay.Transports;

namespace Turn.Relay.Tests.Support;

/// <summary>An in-memory UDP listener: what the engine sends to each client lands in its outbox.</summary>
internal sealed class TestDatagramEndpoint(TransportAddress local) : IDatagramEndpoint
{
    public int LocalId { get; } = ClientConnection.NewLocalId();

    public TransportAddress LocalAddress { get; } = local;

    public ConcurrentDictionary<TransportAddress, ConcurrentQueue<byte[]>> Outbox { get; } = new();

    /// <summary>False to keep nothing the engine sends (allocation measurements).</summary>
    public bool Record { get; set; } = true;

    public ClientConnection CreateConnection(in TransportAddress remote) => new TestConnection(this, remote);

    public ConcurrentQueue<byte[]> OutboxFor(TransportAddress remote) => Outbox.GetOrAdd(remote, _ => new ConcurrentQueue<byte[]>());

    private sealed class TestConnection(TestDatagramEndpoint endpoint, TransportAddress remote)
        : ClientConnection(Seams.RelayTransport.Udp, remote, endpoint.LocalAddress, endpoint.LocalId)
    {
        public override bool Send(ReadOnlySpan<byte> message)
        {
            if (endpoint.Record) endpoint.OutboxFor(Remote).Enqueue(message.ToArray());
            return true;
        }

        public override void Close()
        {
        }
    }
}
