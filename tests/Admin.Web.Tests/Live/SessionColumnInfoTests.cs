using Admin.Web.Live;

namespace Admin.Web.Tests.Live;

public sealed class SessionColumnInfoTests
{
    [Fact]
    public void Hidden_NothingStored_HidesTheOptionalDefaults()
    {
        var hidden = SessionColumnInfo.Hidden(null);
        Assert.Contains(SessionColumn.PacketsIn, hidden);
        Assert.DoesNotContain(SessionColumn.User, hidden);
        Assert.DoesNotContain(SessionColumn.Node, hidden);
    }

    [Fact]
    public void Hidden_StoredChoice_RoundTrips_IgnoringUnknownAndFixedColumns()
    {
        var stored = SessionColumnInfo.Store([SessionColumn.Client, SessionColumn.RateOut]);
        Assert.Equal([SessionColumn.Client, SessionColumn.RateOut], SessionColumnInfo.Hidden(stored).Order());
        Assert.Equal([SessionColumn.Client], SessionColumnInfo.Hidden("Client,Bogus,User,Realm").Order());
    }

    [Fact]
    public void All_CoversEveryColumnOnce() =>
        Assert.Equal(Enum.GetValues<SessionColumn>().Order(), SessionColumnInfo.All.Select(c => c.Column).Order());
}
