namespace Admin.Web.Live;

/// <summary>One page of a <see cref="SessionQuery"/>: how many sessions matched, which page this is, its rows.</summary>
public sealed record SessionPage(int Total, int Page, IReadOnlyList<LiveSession> Rows);
