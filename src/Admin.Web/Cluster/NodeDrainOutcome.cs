namespace Admin.Web.Cluster;

/// <summary>A node's drain state after a drain or resume command; <see cref="Audited"/> is null when nothing changed.</summary>
public sealed record NodeDrainOutcome(string Node, bool Draining, int LiveAllocations, bool? Audited);
