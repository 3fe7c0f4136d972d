namespace Admin.Web.Api.Contracts;

/// <summary>One page of a long list; <paramref name="TotalCount"/> counts every match.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount, int Skip, int Take);
