namespace Admin.Data.Usage;

/// <summary>How finely a usage series or export is bucketed (older data exists only per hour or per day).</summary>
public enum UsageResolution
{
    Minute,
    Hour,
    Day,
}
