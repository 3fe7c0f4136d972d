namespace Admin.Web.Api.Contracts;

/// <summary>
/// A node's drain state after POST or DELETE /api/v1/nodes/{node}/drain, its live allocations, and whether the request
/// was audited on the node that took it (null when nothing changed, so nothing was written; false while PostgreSQL is away).
/// </summary>
public sealed record NodeDrainResponse(string Node, bool Draining, int LiveAllocations, bool? Audited);
