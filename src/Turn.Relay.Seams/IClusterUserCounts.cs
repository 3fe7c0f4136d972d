namespace Turn.Relay.Seams;

/// <summary>
/// The user quota across the nodes of a cluster (issue 14): what the other nodes hold for a (realm, quota user), and this
/// node's own counts published for them. The engine asks only for an authenticated Allocate whose user quota is limited,
/// and adds the answer to its own count before the quota check; the bound on the overshoot this leaves (counts change on
/// other nodes between a read and the check) is the implementation's, documented in docs/CLUSTER-DEPLOY.md.
/// </summary>
public interface IClusterUserCounts
{
    /// <summary>
    /// Allocations (EVEN-PORT reservations included) that the other live nodes hold for (<paramref name="realm"/>,
    /// <paramref name="quotaUser"/>), whose <paramref name="quota"/> (above 0) this node checks against <paramref name="held"/>
    /// (its own count, with this user's Allocates still being answered here) plus the answer: an implementation may answer
    /// from memory while that cannot overshoot, and read afresh near the quota, where its answer may be the decision
    /// itself (<paramref name="quota"/> to refuse; what it reserved for this request is then already counted). Never
    /// throws for a store failure: the last figure known (or 0) is the answer then, so a database outage leaves the
    /// quota per node.
    /// </summary>
    ValueTask<int> CountOnOtherNodesAsync(string realm, string quotaUser, int held, int quota, CancellationToken cancellationToken);

    /// <summary>
    /// This node now holds <paramref name="count"/> units for (<paramref name="realm"/>, <paramref name="quotaUser"/>)
    /// (0 = none). Called under the allocation table's lock: must not block and must do no I/O.
    /// </summary>
    void LocalCountChanged(string realm, string quotaUser, int count);
}
