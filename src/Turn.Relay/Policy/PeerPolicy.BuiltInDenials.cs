using System.Net;
using Turn.Relay.Seams;

namespace Turn.Relay.Policy;

internal sealed partial class PeerPolicy
{
    /// <summary>
    /// What <see cref="Evaluate(IPAddress, RealmPolicy, RealmPolicy)"/> refuses with no rule configured, the
    /// unconditional refusal first; built from the same ranges it checks against, so the list cannot drift from the policy.
    /// Every group but the unspecified addresses is a floor that realm rules cannot lower; only a superuser's global allow
    /// rule makes an exception (<see cref="BuiltInPeerDenial.AllowRuleOverrides"/>).
    /// </summary>
    public IReadOnlyList<BuiltInPeerDenial> BuiltInDenials
    {
        get
        {
            var list = new List<BuiltInPeerDenial>
            {
                new([IPAddress.Any.ToString(), IPAddress.IPv6Any.ToString()], "unspecified: always refused, even by an allow rule", AllowRuleOverrides: false),
            };
            if (!AllowLoopbackPeers)
                list.Add(new([LoopbackV4.ToString(), IPAddress.IPv6Loopback.ToString()], "loopback (Relay:AllowLoopbackPeers=false)", AllowRuleOverrides: true));
            list.Add(new([ThisNetworkV4.ToString()], "\"this network\"", AllowRuleOverrides: true));
            list.Add(new([LinkLocalV4.ToString(), LinkLocalV6.ToString()], "link-local", AllowRuleOverrides: true));
            list.Add(new([MulticastV4.ToString(), MulticastV6.ToString()], "multicast", AllowRuleOverrides: true));
            list.Add(new([ReservedV4.ToString(), IPAddress.Broadcast.ToString()], "reserved and broadcast", AllowRuleOverrides: true));
            if (DenyPrivatePeers)
                list.Add(new([.. PrivateRanges.Select(r => r.ToString())], "private (Relay:DenyPrivatePeers=true)", AllowRuleOverrides: true));
            foreach (var (range, service) in CloudMetadataAddresses.All)
                list.Add(new([range.ToString()], $"cloud metadata: {service}", AllowRuleOverrides: true));
            return list;
        }
    }
}
