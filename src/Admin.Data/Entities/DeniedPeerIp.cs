namespace Admin.Data.Entities;

/// <summary>coturn's denied_peer_ip (realm, ip_range); realm "" is global.</summary>
public sealed class DeniedPeerIp
{
    public string Realm { get; set; } = "";

    /// <summary>A single address, a CIDR, or "a-b", as coturn writes it.</summary>
    public string IpRange { get; set; } = "";
}
