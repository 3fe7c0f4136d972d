using Turn.Relay.Policy;

namespace Admin.Web.Components.Pages.PeerRules;

/// <summary>
/// The relay's built-in peer refusals (Turn.Relay.Policy.PeerPolicy), as the Peer rules page lists them
/// read-only. An allow rule overrides them; a test checks each against the real policy.
/// </summary>
public static class BuiltInPeerDenials
{
    public static IReadOnlyList<BuiltInPeerDenial> For(PeerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var list = new List<BuiltInPeerDenial>
        {
            new("0.0.0.0, ::", "unspecified: always refused, even by an allow rule", Always: true),
            new("0.0.0.0/8", "\"this network\""),
            new("169.254.0.0/16, fe80::/10", "link-local"),
            new("224.0.0.0/4, ff00::/8", "multicast"),
            new("240.0.0.0/4, 255.255.255.255", "reserved and broadcast"),
        };
        if (!policy.AllowLoopbackPeers) list.Insert(1, new("127.0.0.0/8, ::1", "loopback (Relay:AllowLoopbackPeers=false)"));
        if (policy.DenyPrivatePeers)
            list.Add(new("10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7, fec0::/10", "private (Relay:DenyPrivatePeers=true)"));
        return list;
    }
}
