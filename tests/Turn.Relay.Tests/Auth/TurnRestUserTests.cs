using Turn.Relay.Auth;
using Turn.Relay.Seams;

namespace Turn.Relay.Tests.Auth;

public sealed class TurnRestUserTests
{
    private sealed class Realms(params string[] names) : IRealmDirectory
    {
        public string? FindRealmByOrigin(string origin) => null;

        public string? FindRealmByHostName(string hostName) => null;

        public bool RealmExists(string realm) => names.Contains(realm, StringComparer.Ordinal);
    }

    private static readonly Realms Directory = new("realm2", "example.org");

    [Theory]
    [InlineData("1767225600:alice@realm2", "alice", "realm2")]
    [InlineData("1767225600:alice@nosuchrealm", "alice@nosuchrealm", null)]
    [InlineData("1767225600:alice@example.org", "alice", "example.org")]
    [InlineData("1767225600:a@b.example@realm2", "a@b.example", "realm2")]
    [InlineData("1767225600:alice", "alice", null)]
    [InlineData("1767225600:alice@", "alice@", null)]
    [InlineData("1767225600:@realm2", "", "realm2")]
    [InlineData("1767225600", "", null)]
    [InlineData("1767225600:alice@Realm2", "alice@Realm2", null)]
    public void TryParse_RealmAfterTheLastAt_CountsOnlyWhenItExists(string username, string userPart, string? realm)
    {
        Assert.True(TurnRestUser.TryParse(username, Directory, out var parsed));
        Assert.Equal(userPart, parsed.UserPart);
        Assert.Equal(realm, parsed.Realm);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), parsed.ExpiresAt);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("alice@realm2")]
    [InlineData("x1767225600:alice@realm2")]
    [InlineData("")]
    public void TryParse_NotExpiryFirst_IsNotRest(string username) => Assert.False(TurnRestUser.TryParse(username, Directory, out _));
}
