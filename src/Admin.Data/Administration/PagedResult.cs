namespace Admin.Data.Administration;

/// <summary>One page of a list and the total number of matching rows (for the grid's pager).</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount);
