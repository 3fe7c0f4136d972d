using System.Net;

namespace Turn.Relay.Seams;

/// <summary>
/// Decides whether a client may relay to a peer address (CreatePermission, ChannelBind: 403 when
/// not). Called on the control path only, never per packet. Implementations canonicalise
/// IPv4-mapped and IPv4-compatible IPv6 addresses themselves.
/// </summary>
public interface IPeerPolicy
{
    bool IsAllowed(IPAddress peer, RealmPolicy realmPolicy, RealmPolicy globalPolicy);

    /// <summary>
    /// The addresses this policy refuses when no realm or global rule says otherwise, for operators to see (the
    /// portal's Peer rules page lists them). A policy that does not describe itself lists none.
    /// </summary>
    IReadOnlyList<BuiltInPeerDenial> BuiltInDenials => [];
}
