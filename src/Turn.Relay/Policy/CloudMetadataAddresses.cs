namespace Turn.Relay.Policy;

/// <summary>
/// Cloud instance-metadata and host-service addresses: reachable from a virtual machine without any route of its
/// own, and serving credentials, tokens or host configuration to whoever asks, so never a media peer. Refused by
/// default (a superuser's global allow rule can make an exception). Many lie in 169.254.0.0/16, refused as link-local
/// anyway; they are listed so an operator sees them named.
/// </summary>
internal static class CloudMetadataAddresses
{
    /// <summary>Each address with who serves what there.</summary>
    public static readonly (IpRange Range, string Service)[] All =
    [
        (IpRange.Parse("169.254.169.254"), "instance metadata (AWS, Azure, Google Cloud, Oracle Cloud, DigitalOcean, OpenStack)"),
        (IpRange.Parse("169.254.170.2"), "AWS ECS task metadata and credentials"),
        (IpRange.Parse("169.254.170.23"), "AWS EKS Pod Identity credentials"),
        (IpRange.Parse("100.100.100.200"), "Alibaba Cloud instance metadata"),
        // Azure's WireServer (host DNS, DHCP, health probes, VM agent configuration). A VM's own agent needs it,
        // a TURN peer never does; it sits in public space, so nothing else would refuse it.
        (IpRange.Parse("168.63.129.16"), "Azure WireServer"),
        (IpRange.Parse("192.0.0.192"), "Oracle Cloud Classic instance metadata"),
        (IpRange.Parse("fd00:ec2::254"), "AWS instance metadata (IPv6)"),
        (IpRange.Parse("fd00:ec2::253"), "AWS DNS resolver (IPv6)"),
        (IpRange.Parse("fd00:ec2::23"), "AWS EKS Pod Identity credentials (IPv6)"),
        (IpRange.Parse("fd20:ce::254"), "Google Cloud instance metadata (IPv6)"),
        (IpRange.Parse("fd00:c1::a9fe:a9fe"), "Oracle Cloud instance metadata (IPv6)"),
    ];

    public static bool Contains(IpAddressBits peer)
    {
        foreach (var (range, _) in All)
        {
            if (range.Contains(peer)) return true;
        }
        return false;
    }
}
