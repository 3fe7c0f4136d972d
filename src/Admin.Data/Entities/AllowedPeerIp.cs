namespace Admin.Data.Entities;

/// <summary>coturn's allowed_peer_ip (realm, ip_range); realm "" is global. Allow wins over deny.</summary>
public sealed class AllowedPeerIp
{
    public string Realm { get; set; } = "";

    /// <summary>A single address, a CIDR, or "a-b", as coturn writes it.</summary>
    public string IpRange { get; set; } = "";
}
