namespace Admin.Data.Administration;

/// <summary>Which coturn table a peer rule lives in: allowed_peer_ip or denied_peer_ip. Allow wins over deny.</summary>
public enum PeerRuleKind
{
    Allow,
    Deny,
}
