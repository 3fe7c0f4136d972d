namespace Admin.Web.Live;

/// <summary>
/// Everything live at one tick, immutable and shared by all viewers: the sessions and the server-wide totals.
/// </summary>
public sealed record LiveSnapshot(DateTimeOffset TakenAt, IReadOnlyList<LiveSession> Sessions, RelaySample Totals)
{
    public static LiveSnapshot Empty(DateTimeOffset at) => new(at, [], RelaySample.Empty(at));
}
