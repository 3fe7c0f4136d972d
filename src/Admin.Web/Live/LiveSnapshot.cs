namespace Admin.Web.Live;

/// <summary>
/// Everything live at one tick, immutable and shared by all viewers: the sessions and the server-wide totals, and the
/// cluster nodes whose sessions are missing because they did not answer (shown as a notice, never as a failed page).
/// </summary>
public sealed record LiveSnapshot(DateTimeOffset TakenAt, IReadOnlyList<LiveSession> Sessions, RelaySample Totals,
    IReadOnlyList<string>? UnavailableNodes = null)
{
    public IReadOnlyList<string> MissingNodes => UnavailableNodes ?? [];

    public static LiveSnapshot Empty(DateTimeOffset at) => new(at, [], RelaySample.Empty(at));
}
