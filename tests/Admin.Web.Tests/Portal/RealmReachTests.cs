using System.Net;
using Admin.Web.Portal;

namespace Admin.Web.Tests.Portal;

/// <summary>The portal's "how clients reach this realm": the ways listed, and the warning for stored users with no way in.</summary>
public sealed class RealmReachTests
{
    [Fact]
    public void NonDefaultRealm_UsersWithoutAWayIn_Warned_RestStillNamed()
    {
        var reach = new RealmReach("demo.example", false, [], [], [], Users: 3, Secrets: 1);

        Assert.False(reach.OfferedToSomeClient);
        Assert.Contains("3 stored user(s)", reach.Warning);
        Assert.Contains("'expiry:user@realm') keep working", reach.Warning);
        Assert.Equal(["TURN REST usernames 'expiry:user@demo.example' on any listener"], reach.Ways);
    }

    [Theory]
    [InlineData(true, false, false, false)]
    [InlineData(false, true, false, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, false, false, true)]
    public void AnyWayIn_NoWarning(bool isDefault, bool origin, bool hostName, bool address)
    {
        var reach = new RealmReach("demo.example", isDefault, origin ? ["https://demo.example:443"] : [], hostName ? ["turn.demo.example"] : [],
            address ? [IPAddress.Parse("198.18.0.7")] : [], Users: 3, Secrets: 0);

        Assert.True(reach.OfferedToSomeClient);
        Assert.Null(reach.Warning);
        Assert.NotEmpty(reach.Ways);
    }

    [Fact]
    public void SecretsOnly_NoWarning()
    {
        var reach = new RealmReach("demo.example", false, [], [], [], Users: 0, Secrets: 2);

        Assert.Null(reach.Warning);
    }
}
