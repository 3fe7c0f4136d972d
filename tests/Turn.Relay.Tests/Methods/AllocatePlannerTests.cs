using Turn.Relay.Methods;

namespace Turn.Relay.Tests.Methods;

public sealed class AllocatePlannerTests
{
    [Theory]
    [InlineData(null, 10, 10)]
    [InlineData(5, 10, 5)]
    [InlineData(10, 10, 10)]
    [InlineData(50, 10, 10)]   // a realm cannot lift the server's limit
    [InlineData(0, 10, 10)]    // nor make it unlimited
    [InlineData(50, 0, 50)]    // an unlimited server lets the realm choose
    [InlineData(0, 0, 0)]
    [InlineData(null, 0, 0)]
    public void EffectiveLimit_IsTheRealmsCappedAtTheServers(int? realm, int server, int expected)
    {
        Assert.Equal(expected, AllocatePlanner.EffectiveLimit(realm, server));
        Assert.Equal(expected, AllocatePlanner.EffectiveLimit((long?)realm, (long)server));
    }

    [Theory]
    [InlineData("alice", "example.org", false, "alice")]
    [InlineData("1700000000:alice", "example.org", false, "1700000000:alice")] // a long-term user named like REST
    [InlineData("1700000000:alice", "example.org", true, "alice")]
    [InlineData("1799999999:alice", "example.org", true, "alice")]
    [InlineData("1700000000:alice@example.org", "example.org", true, "alice")]
    [InlineData("1700000000:alice@other.org", "example.org", true, "alice@other.org")]
    [InlineData("1700000000:a@b@example.org", "example.org", true, "a@b")]
    [InlineData("1700000000", "example.org", true, "")]
    [InlineData("not-rest", "example.org", true, "not-rest")]
    public void QuotaUser_IsTheUserPartOfATurnRestName(string username, string realm, bool signedBySecret, string expected)
    {
        Assert.Equal(expected, AllocatePlanner.QuotaUser(username, realm, signedBySecret));
    }
}
