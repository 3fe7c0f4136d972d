namespace Admin.Web.Api.Contracts;

/// <summary>
/// One page of live allocations across the cluster (GET /api/v1/sessions): the fields of <see cref="Page{T}"/> plus
/// the nodes that did not answer this tick (their allocations are missing from the list, not failed).
/// </summary>
public sealed record SessionListResponse(IReadOnlyList<SessionResponse> Items, int TotalCount, int Skip, int Take, IReadOnlyList<string> UnavailableNodes);
