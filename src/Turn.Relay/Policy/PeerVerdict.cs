namespace Turn.Relay.Policy;

/// <summary>Why a peer address was allowed or refused (refusals are answered with 403 Forbidden).</summary>
internal enum PeerVerdict
{
    /// <summary>No rule matched and no default range refuses it.</summary>
    Allowed,

    /// <summary>
    /// A realm or global allowed_peer_ip range contains it (allow wins over deny, as in coturn), or a global
    /// allow rule makes an exception to a built-in or global denial.
    /// </summary>
    AllowedByRule,

    /// <summary>A global denied_peer_ip range, or the realm's, contains it.</summary>
    DeniedByRule,

    /// <summary>0.0.0.0 or ::. Never a real peer (on Linux, sending there reaches the local host).</summary>
    Unspecified,

    /// <summary>0.0.0.0/8, "this network" (RFC 791/1122): not a valid destination.</summary>
    ThisNetwork,

    /// <summary>127.0.0.0/8 or ::1, unless Relay:AllowLoopbackPeers is set.</summary>
    Loopback,

    /// <summary>169.254.0.0/16 or fe80::/10, where cloud metadata services live.</summary>
    LinkLocal,

    /// <summary>A cloud metadata or host-service address (<see cref="CloudMetadataAddresses"/>), IPv4 or IPv6.</summary>
    CloudMetadata,

    /// <summary>224.0.0.0/4 or ff00::/8.</summary>
    Multicast,

    /// <summary>255.255.255.255, the limited broadcast address.</summary>
    Broadcast,

    /// <summary>240.0.0.0/4, reserved for future use (RFC 1112) and unroutable.</summary>
    Reserved,

    /// <summary>RFC 1918, 100.64.0.0/10 (shared CGN space) or fc00::/7, when Relay:DenyPrivatePeers is set.</summary>
    Private,
}
