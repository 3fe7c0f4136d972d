using Admin.Data.Import.Coturn;

namespace Admin.Data.Tests.Import;

/// <summary>coturn's SQLite rows to the plan: realm "" is the default realm, origins become canonical, keys must be MD5.</summary>
public sealed class CoturnDatabaseMapperTests
{
    private static CoturnRow Row(params string?[] fields) => new("test row", fields);

    private static CoturnDatabaseContent Content(
        CoturnRow[]? users = null, CoturnRow[]? secrets = null, CoturnRow[]? options = null, CoturnRow[]? origins = null, CoturnRow[]? admins = null) =>
        new(users ?? [], secrets ?? [], options ?? [], origins ?? [], [], [], admins ?? [], [], ["oauth_key"]);

    [Fact]
    public void RealmlessRows_GoToTheDefaultRealm_OrAreLeftOutWithoutOne()
    {
        var withRealm = new CoturnImportPlan { DefaultRealm = "example.org" };
        var without = new CoturnImportPlan();
        var content = Content(users: [Row("", "alice", new string('a', 32))], secrets: [Row("", "s3cret")]);

        CoturnDatabaseMapper.Map(content, withRealm);
        CoturnDatabaseMapper.Map(content, without);

        Assert.Equal("example.org", Assert.Single(withRealm.Users).Realm);
        Assert.Equal("example.org", Assert.Single(withRealm.Secrets).Realm);
        Assert.Empty(without.Users);
        Assert.Equal(2, without.Skipped.Count);
        Assert.Contains(without.Notes, n => n.Contains("oauth_key", StringComparison.Ordinal));
    }

    [Fact]
    public void OriginsOptionsAndAdmins_AreCheckedAsTheServicesWould()
    {
        var plan = new CoturnImportPlan();
        CoturnDatabaseMapper.Map(Content(
            options: [Row("example.org", "user-quota", "7"), Row("example.org", "max-bps", "lots"), Row("", "total-quota", "5"), Row("example.org", "colour", "1")],
            origins: [Row("HTTPS://App.Example.org", "example.org"), Row("not an origin", "example.org")],
            admins: [Row("root", "", "$5$salt$hash"), Row("plain", "", "cleartext")]), plan);

        Assert.Equal(("user-quota", "7"), (Assert.Single(plan.RealmOptions).Opt, plan.RealmOptions[0].Value));
        Assert.Equal("https://app.example.org:443", Assert.Single(plan.Origins).Origin);
        Assert.Equal("root", Assert.Single(plan.Admins).Name);
        Assert.Equal(5, plan.Skipped.Count);
        Assert.Contains(plan.Skipped, s => s.Reason.Contains("Relay:TotalQuota", StringComparison.Ordinal));
        Assert.Contains(plan.Realms, r => r == "example.org");
    }

    [Fact]
    public void ConflictingDuplicates_KeepTheFirst_AndReportTheSecond()
    {
        var plan = new CoturnImportPlan();
        plan.AddUser(new ImportedUser("example.org", "alice", new string('a', 32), "turnserver.conf:3"));
        CoturnDatabaseMapper.Map(Content(users: [Row("example.org", "alice", new string('b', 32)), Row("example.org", "alice", new string('a', 32))]), plan);

        Assert.Equal(new string('a', 32), Assert.Single(plan.Users).HmacKey);
        Assert.Contains("turnserver.conf:3", Assert.Single(plan.Skipped).Reason);
    }
}
