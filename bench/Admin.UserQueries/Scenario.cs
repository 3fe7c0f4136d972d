namespace Admin.UserQueries;

/// <summary>One Users-page request: search prefix (null = none), sort direction and page.</summary>
internal sealed record Scenario(string Name, string? Search, bool Descending, int Skip, int Take = 25);
