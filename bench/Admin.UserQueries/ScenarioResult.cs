namespace Admin.UserQueries;

/// <summary>Medians (ms) of one scenario: the whole ListAsync call, its COUNT statement and its page statement.</summary>
internal sealed record ScenarioResult(Scenario Scenario, int TotalCount, double CallMs, double CountMs, double PageMs,
    string CountPlan, string PagePlan);
