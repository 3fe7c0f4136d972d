using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Turn.Relay.Hosting;

/// <summary>
/// The fallback peer policy when none is registered: refuses loopback (unless
/// Relay:AllowLoopbackPeers), unspecified, link-local, multicast and broadcast peers, after
/// unwrapping IPv4-mapped/compatible IPv6. The full policy (ranges per realm, private ranges)
/// lives in Turn.Relay.Policy and replaces this one when registered.
/// </summary>
internal sealed class LoopbackDenyingPeerPolicy(IOptions<RelayOptions> options) : IPeerPolicy
{
    private readonly bool _allowLoopback = options.Value.AllowLoopbackPeers;

    public bool IsAllowed(IPAddress peer, RealmPolicy realmPolicy, RealmPolicy globalPolicy)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.IsIPv4MappedToIPv6) peer = peer.MapToIPv4();
        else if (peer.AddressFamily == AddressFamily.InterNetworkV6 && IsIPv4Compatible(peer)) peer = new IPAddress(peer.GetAddressBytes()[12..]);
        if (IPAddress.IsLoopback(peer)) return _allowLoopback;
        if (peer.Equals(IPAddress.Any) || peer.Equals(IPAddress.IPv6Any) || peer.Equals(IPAddress.Broadcast)) return false;
        if (peer.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = peer.GetAddressBytes();
            if (bytes[0] == 169 && bytes[1] == 254) return false; // link-local
            if (bytes[0] >= 224) return false; // multicast and reserved, broadcast
            if (bytes[0] == 0) return false; // "this network"
            return true;
        }
        return !(peer.IsIPv6LinkLocal || peer.IsIPv6Multicast);
    }

    private static bool IsIPv4Compatible(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < 12; i++)
        {
            if (bytes[i] != 0) return false;
        }
        return !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && bytes[15] <= 1);
    }
}
