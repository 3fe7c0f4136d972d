using System.Net;

namespace Turn.Relay.Seams;

/// <summary>
/// Where a node that cannot take a new allocation (draining or full) sends the client: RFC 8489 §10 / RFC 8656 300
/// Try Alternate with ALTERNATE-SERVER. Answered from memory (no I/O: asked while an Allocate is being answered);
/// the cluster's implementation reads the node registry, a relay-only host a configured list.
/// </summary>
public interface IAlternateServerDirectory
{
    /// <summary>
    /// An alternate server for a client that reached this node over <paramref name="transport"/> with an address
    /// of <paramref name="family"/>; false when there is none (the request then gets its usual error).
    /// </summary>
    bool TryGetAlternate(RelayTransport transport, System.Net.Sockets.AddressFamily family, out IPEndPoint alternate);
}
