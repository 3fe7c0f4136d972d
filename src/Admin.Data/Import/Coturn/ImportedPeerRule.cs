using Admin.Data.Administration;

namespace Admin.Data.Import.Coturn;

/// <summary>A peer allow or deny range to write (allowed_peer_ip / denied_peer_ip); Realm "" is global.</summary>
public sealed record ImportedPeerRule(string Realm, PeerRuleKind Kind, string Range, string Source);
