using System.Net;
using System.Net.Sockets;
using Turn.Relay.Seams;

namespace Admin.Web.Cluster;

/// <summary>
/// ALTERNATE-SERVER for <c>turnstone serve</c>, from the node registry (<see cref="ClusterNodes"/>): an up node that is
/// neither draining nor full nor this one, on the client's transport and address family, chosen round-robin so
/// redirected clients spread over the live nodes. Answered from memory, without allocating.
/// </summary>
public sealed class RegistryAlternateServerDirectory(ClusterNodes nodes) : IAlternateServerDirectory
{
    private int _next = -1;

    public bool TryGetAlternate(RelayTransport transport, AddressFamily family, out IPEndPoint alternate)
    {
        var candidates = nodes.AlternatesFor(transport, family);
        if (candidates.Length == 0)
        {
            alternate = null!;
            return false;
        }
        var turn = (uint)Interlocked.Increment(ref _next);
        alternate = candidates[turn % (uint)candidates.Length];
        return true;
    }
}
