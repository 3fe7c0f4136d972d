namespace Admin.Data.Tests.Credentials;

/// <summary>A listening fixture with the smallest cache bounds, so a flood of a few thousand names overflows them.</summary>
public sealed class SmallCacheFixture : AdminDataFixture
{
    protected override bool StartChangeListener => true;

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["AdminData:CacheMaxEntries"] = "100",
        ["AdminData:NegativeCacheMaxEntries"] = "100",
    };
}
