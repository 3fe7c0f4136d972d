using System.Net;
using System.Net.Sockets;
using Admin.Data.Cluster;
using Turn.Relay.Seams;

namespace Admin.Web.Cluster;

/// <summary>
/// The node registry as of the last successful heartbeat, in memory: what the Nodes page, the API, the cluster-wide
/// live view and the alternate-server directory read (never the database). While PostgreSQL is away the last view is
/// kept as it was, so peers stay reachable and redirects keep working on what was last known.
/// </summary>
public sealed class ClusterNodes
{
    private View _view;

    public ClusterNodes(string self)
    {
        Self = self;
        _view = new View([], DateTimeOffset.MinValue, EmptyAlternates());
    }

    /// <summary>This node's name (Usage:Node).</summary>
    public string Self { get; }

    /// <summary>Every registered node, by name; empty until the first heartbeat.</summary>
    public IReadOnlyList<NodeState> Nodes => Volatile.Read(ref _view).Nodes;

    /// <summary>When the registry was last read (MinValue before the first heartbeat).</summary>
    public DateTimeOffset ReadAt => Volatile.Read(ref _view).ReadAt;

    /// <summary>The other nodes that are up and have an internal endpoint: the ones to ask for live state.</summary>
    public IEnumerable<NodeState> Peers => Nodes.Where(n => n.Up && !n.Self && !string.IsNullOrEmpty(n.Node.InternalUrl));

    public NodeState? Find(string name) => Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal));

    /// <summary>Replaces the view with the registry just read.</summary>
    public void Publish(IReadOnlyList<NodeRecord> records, TimeSpan downAfter, DateTimeOffset readAt)
    {
        ArgumentNullException.ThrowIfNull(records);
        var nodes = records.Select(r => new NodeState(r.Node, r.HeartbeatAge <= downAfter, string.Equals(r.Node.Name, Self, StringComparison.Ordinal))).ToArray();
        Volatile.Write(ref _view, new View(nodes, readAt, Alternates(nodes)));
    }

    /// <summary>
    /// The candidates for a redirect of a client on <paramref name="transport"/> with an address of
    /// <paramref name="family"/>: up, not draining, not full, not this node, same transport and family. No allocation.
    /// </summary>
    internal IPEndPoint[] AlternatesFor(RelayTransport transport, AddressFamily family) =>
        Volatile.Read(ref _view).Alternates[Slot(transport, family)];

    private static int Slot(RelayTransport transport, AddressFamily family) => (int)transport * 2 + (family == AddressFamily.InterNetworkV6 ? 1 : 0);

    private static IPEndPoint[][] EmptyAlternates() => [[], [], [], [], [], []];

    private static IPEndPoint[][] Alternates(NodeState[] nodes)
    {
        var slots = Enumerable.Range(0, 6).Select(_ => new List<IPEndPoint>()).ToArray();
        foreach (var state in nodes)
        {
            if (!state.Up || state.Self || state.Node.Draining || state.Node.Full) continue;
            Add(slots, RelayTransport.Udp, state.Node.UdpAddresses);
            Add(slots, RelayTransport.Tcp, state.Node.TcpAddresses);
            Add(slots, RelayTransport.Tls, state.Node.TlsAddresses);
        }
        return [.. slots.Select(s => s.ToArray())];
    }

    private static void Add(List<IPEndPoint>[] slots, RelayTransport transport, List<string> addresses)
    {
        foreach (var text in addresses)
        {
            // A wildcard address is no use to a client: only concrete addresses are offered.
            if (!IPEndPoint.TryParse(text, out var endPoint) || endPoint.Port == 0) continue;
            if (endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any)) continue;
            slots[Slot(transport, endPoint.AddressFamily)].Add(endPoint);
        }
    }

    private sealed record View(IReadOnlyList<NodeState> Nodes, DateTimeOffset ReadAt, IPEndPoint[][] Alternates);
}
