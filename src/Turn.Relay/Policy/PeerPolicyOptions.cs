namespace Turn.Relay.Policy;

/// <summary>
/// The server-wide peer switches, read from the "Relay" configuration section (the same section as
/// the rest of the engine's options; the binder takes only these two keys).
/// </summary>
public sealed class PeerPolicyOptions
{
    public const string SectionName = "Relay";

    /// <summary>
    /// Relay:AllowLoopbackPeers (default false). Lets clients relay to 127.0.0.0/8 and ::1: for
    /// tests and single-host setups only, since it exposes every service listening on loopback.
    /// </summary>
    public bool AllowLoopbackPeers { get; set; }

    /// <summary>
    /// Relay:DenyPrivatePeers (default false). Also refuses RFC 1918 (10/8, 172.16/12, 192.168/16),
    /// shared address space 100.64/10, and unique-local fc00::/7 (and deprecated site-local
    /// fec0::/10): set it when the relay sits next to a private network clients must not reach.
    /// </summary>
    public bool DenyPrivatePeers { get; set; }
}
