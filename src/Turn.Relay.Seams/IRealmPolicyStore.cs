namespace Turn.Relay.Seams;

/// <summary>
/// Per-realm limits and peer rules (coturn's turn_realm_option, allowed_peer_ip, denied_peer_ip).
/// Realm "" holds the global rules. Implementations cache and see changes within a second.
/// </summary>
public interface IRealmPolicyStore
{
    ValueTask<RealmPolicy> GetPolicyAsync(string realm, CancellationToken cancellationToken);
}
