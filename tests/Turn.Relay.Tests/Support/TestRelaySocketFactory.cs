using System.Collections.Concurrent;
using Turn.Protocol;
using Turn.Relay.Transports;

namespace Turn.Relay.Tests.Support;

/// <summary>In-memory relay sockets: records datagrams sent to peers and delivers peer datagrams on demand.</summary>
internal sealed class TestRelaySocketFactory : IRelaySocketFactory
{
    public ConcurrentDictionary<ushort, TestRelaySocket> Bound { get; } = new();

    /// <summary>Ports the "OS" refuses (bound by another process).</summary>
    public HashSet<int> Refused { get; } = [];

    /// <summary>Binds asked for, refused or not.</summary>
    public int Attempts { get; private set; }

    public IRelaySocket? TryBind(in TransportAddress local)
    {
        Attempts++;
        if (Refused.Contains(local.Port) || Bound.ContainsKey(local.Port)) return null;
        var socket = new TestRelaySocket(local, this);
        Bound[local.Port] = socket;
        return socket;
    }

    public TestRelaySocket Get(TransportAddress relayed) => Bound[relayed.Port];
}
