namespace Admin.Data.Usage;

/// <summary>
/// The resolution a range gets when none is asked for, the same on the Usage page and GET /api/v1/usage: minutes up
/// to 6 hours, hours up to 14 days, days beyond (older data exists only per hour or day anyway).
/// </summary>
public static class UsageResolutions
{
    public static UsageResolution For(DateTimeOffset from, DateTimeOffset to)
    {
        var span = to - from;
        return span <= TimeSpan.FromHours(6) ? UsageResolution.Minute : span <= TimeSpan.FromDays(14) ? UsageResolution.Hour : UsageResolution.Day;
    }

    /// <summary>"minute", "hour" or "day".</summary>
    public static string Name(UsageResolution resolution) => UsageSql.Field(resolution);
}
