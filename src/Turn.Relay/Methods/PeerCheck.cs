using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Policy;
using Turn.Relay.Requests;
using Turn.Relay.Seams;

namespace Turn.Relay.Methods;

/// <summary>
/// Whether a peer may be given a permission or channel: the peer policy (403), the relay's own addresses and ports
/// (403, <see cref="SelfPeerGuard"/>, when the engine knows them), then the family (443).
/// </summary>
internal sealed class PeerCheck(IPeerPolicy peerPolicy, ResponseWriter responses, RelayEventPublisher events, RelayMetrics metrics,
    SelfPeerGuard? self = null)
{
    /// <summary>False when refused (and answered). <paramref name="checkPort"/>: the peer's port matters (ChannelBind).</summary>
    public bool Allows(RequestContext context, Allocation allocation, in TransportAddress peer, bool checkPort = false)
    {
        // Policy first: a forbidden peer gets 403 whatever its family (::ffff:127.0.0.1 included).
        if (!peerPolicy.IsAllowed(peer.ToIPAddress(), context.RealmPolicy, context.GlobalPolicy)
            || (checkPort && self is not null && self.Refuses(peer)))
        {
            metrics.RecordPeerRejection(context.Connection.Transport);
            events.Raise(RelayEventKind.PeerRejected, allocation, context, peer.ToIPAddress().ToString());
            responses.SendError(context, StunErrorCode.Forbidden, withIntegrity: true);
            return false;
        }
        if (peer.Family != allocation.RelayedAddress.Family)
        {
            responses.SendError(context, StunErrorCode.PeerAddressFamilyMismatch, withIntegrity: true);
            return false;
        }
        return true;
    }

    /// <summary>The guard a permission for this peer needs: set for the relay's own addresses, null for any other.</summary>
    public SelfPeerGuard? GuardFor(in TransportAddress peer) => self is not null && self.IsOwnAddress(peer) ? self : null;
}
