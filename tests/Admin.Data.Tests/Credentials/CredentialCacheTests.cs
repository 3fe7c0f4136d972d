using Admin.Data.Credentials;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Admin.Data.Tests.Credentials;

/// <summary>The cache alone: bounded spaces with least-recently-used eviction, per-key invalidation, JSON payloads.</summary>
public sealed class CredentialCacheTests
{
    private static readonly byte[] Key = new byte[16];

    private static CredentialCache NewCache(int maxEntries = 100, int negativeMaxEntries = 100)
    {
        var options = Options.Create(new AdminDataOptions { CacheMaxEntries = maxEntries, NegativeCacheMaxEntries = negativeMaxEntries });
        var cache = new CredentialCache(options, TimeProvider.System, new DatabaseOutage(options, TimeProvider.System, NullLogger<DatabaseOutage>.Instance), NullLogger<CredentialCache>.Instance);
        cache.SetLive(true);
        return cache;
    }

    [Fact]
    public void Store_ThenTryGet_Hits_IncludingNegativeAnswers()
    {
        var cache = NewCache();
        cache.StoreUser("r", "known", Key, cache.BeginLoad());
        cache.StoreUser("r", "unknown", null, cache.BeginLoad());

        Assert.True(cache.TryGetUser("r", "known", out var key));
        Assert.Same(Key, key);
        Assert.True(cache.TryGetUser("r", "unknown", out var missing));
        Assert.Null(missing);
    }

    [Fact]
    public void Store_ReplacesTheKeysAnswerInTheOtherSpace()
    {
        var cache = NewCache();
        cache.StoreUser("r", "u", null, cache.BeginLoad());
        cache.StoreUser("r", "u", Key, cache.BeginLoad());
        Assert.True(cache.TryGetUser("r", "u", out var key) && key is not null);

        cache.StoreUser("r", "u", null, cache.BeginLoad());
        Assert.True(cache.TryGetUser("r", "u", out var none) && none is null);
        Assert.Equal((0, 1), cache.UserEntryCounts);
    }

    [Fact]
    public void Store_AfterInvalidationOfItsKeyDuringLoad_IsDiscarded()
    {
        var cache = NewCache();
        var generation = cache.BeginLoad();

        cache.Apply(Payload.User('U', "r", "u"));  // a change lands while the lookup reads the old row
        cache.StoreUser("r", "u", Key, generation);

        Assert.False(cache.TryGetUser("r", "u", out _));
    }

    [Fact]
    public void Store_AfterInvalidationOfAnotherKeyDuringLoad_IsKept()
    {
        var cache = NewCache();
        var generation = cache.BeginLoad();

        cache.Apply(Payload.User('U', "r", "someone-else"));
        cache.StoreUser("r", "u", Key, generation);

        Assert.True(cache.TryGetUser("r", "u", out _));
    }

    [Fact]
    public void NotLive_NeitherStoresNorServes()
    {
        var cache = NewCache();
        cache.StoreUser("r", "u", Key, cache.BeginLoad());

        cache.SetLive(false);
        cache.StoreUser("r", "v", Key, cache.BeginLoad());

        Assert.False(cache.TryGetUser("r", "u", out _));
        Assert.False(cache.TryGetUser("r", "v", out _));
    }

    [Fact]
    public void Apply_UsersTruncated_DropsUsersOnly()
    {
        var cache = NewCache();
        cache.StoreUser("r", "u", Key, cache.BeginLoad());
        cache.StoreSecrets("r", ["s"], cache.BeginLoad());

        cache.Apply(Payload.Of("turnusers_lt", 'T'));

        Assert.False(cache.TryGetUser("r", "u", out _));
        Assert.True(cache.TryGetSecrets("r", out _));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("turnusers_lt|D|r|u")]
    [InlineData("{\"table\":\"turnusers_lt\",\"op\":\"DD\",\"realm\":\"r\",\"detail\":\"u\"}")]
    [InlineData("{\"table\":\"turnusers_lt\",\"op\":\"D\",\"realm\":\"r\"}")]
    [InlineData("{\"table\":\"unknown_table\",\"op\":\"I\",\"realm\":\"r\",\"detail\":\"\"}")]
    public void Apply_UnreadablePayload_IsIgnored_AndFlushesNothing(string payload)
    {
        var cache = NewCache();
        cache.StoreUser("r", "u", Key, cache.BeginLoad());
        cache.StorePolicy("r", RealmPolicy.Empty, cache.BeginLoad());

        Assert.Null(cache.Apply(payload));

        Assert.True(cache.TryGetUser("r", "u", out _));
        Assert.True(cache.TryGetPolicy("r", out _));
    }

    [Theory]
    [InlineData("r", "b|with|pipes")]
    [InlineData("realm|with|pipe", "user")]
    [InlineData("r", "quote\"and\\backslash")]
    [InlineData("r", "new\nline and tab\t")]
    [InlineData("räälm.example", "名前")]
    [InlineData("", "global-realm-user")]
    public void Apply_OneUser_OddNames_DropsOnlyThatUser(string realm, string name)
    {
        var cache = NewCache();
        cache.StoreUser(realm, "a", Key, cache.BeginLoad());
        cache.StoreUser(realm, name, Key, cache.BeginLoad());

        var applied = cache.Apply(Payload.User('D', realm, name));

        Assert.Equal(new ChangeNotification("turnusers_lt", 'D', realm, name), applied);
        Assert.False(cache.TryGetUser(realm, name, out _));
        Assert.True(cache.TryGetUser(realm, "a", out _));
    }

    [Fact]
    public void FloodOfUnknownNames_EvictsOnlyUnknownNames_HotUsersStay()
    {
        var cache = NewCache(maxEntries: 100, negativeMaxEntries: 100);
        for (var i = 0; i < 50; i++) cache.StoreUser("r", $"real{i}", Key, cache.BeginLoad());

        for (var i = 0; i < 100_000; i++) cache.StoreUser("r", $"probe{i}", null, cache.BeginLoad());

        for (var i = 0; i < 50; i++) Assert.True(cache.TryGetUser("r", $"real{i}", out var key) && key is not null, $"real{i} was evicted");
        Assert.Equal((50, 100), cache.UserEntryCounts);
        Assert.True(cache.TryGetUser("r", "probe99999", out _), "the newest negative answer is kept");
        Assert.False(cache.TryGetUser("r", "probe0", out _), "the oldest negative answer was evicted");
    }

    [Fact]
    public void KnownUsersBeyondCapacity_EvictTheLeastRecentlyUsed()
    {
        var cache = NewCache(maxEntries: 100);
        for (var i = 0; i < 100; i++) cache.StoreUser("r", $"u{i}", Key, cache.BeginLoad());
        Assert.True(cache.TryGetUser("r", "u0", out _)); // u0 is now the most recently used

        cache.StoreUser("r", "u100", Key, cache.BeginLoad());

        Assert.True(cache.TryGetUser("r", "u0", out _));
        Assert.False(cache.TryGetUser("r", "u1", out _));
        Assert.True(cache.TryGetUser("r", "u100", out _));
        Assert.True(cache.TryGetUser("r", "u99", out _));
    }

    [Fact]
    public void UserHashAnswers_CachedBothWays_AndDroppedByTheUsersNotification()
    {
        var cache = NewCache();
        var aliceHash = UserHash.Compute("alice", "r");
        var bobHash = UserHash.Compute("bob", "r");
        cache.StoreUserNameByHash("r", aliceHash, "alice", cache.BeginLoad());
        cache.StoreUserNameByHash("r", bobHash, null, cache.BeginLoad());

        Assert.True(cache.TryGetUserNameByHash("r", aliceHash, out var alice));
        Assert.Equal("alice", alice);
        Assert.True(cache.TryGetUserNameByHash("r", bobHash, out var bob));
        Assert.Null(bob);
        Assert.False(cache.TryGetUserNameByHash("other", bobHash, out _));

        cache.Apply(Payload.User('I', "r", "bob"));   // bob was added: "no such hash" must go
        cache.Apply(Payload.User('D', "r", "alice"));

        Assert.False(cache.TryGetUserNameByHash("r", bobHash, out _));
        Assert.False(cache.TryGetUserNameByHash("r", aliceHash, out _));
    }

    [Fact]
    public void FloodOfUnknownHashes_DoesNotEvictKnownHashes()
    {
        var cache = NewCache(maxEntries: 100, negativeMaxEntries: 100);
        var hash = UserHash.Compute("alice", "r");
        cache.StoreUserNameByHash("r", hash, "alice", cache.BeginLoad());

        var probe = new byte[32];
        for (var i = 0; i < 10_000; i++)
        {
            BitConverter.TryWriteBytes(probe, i);
            cache.StoreUserNameByHash("r", probe, null, cache.BeginLoad());
        }

        Assert.True(cache.TryGetUserNameByHash("r", hash, out var name));
        Assert.Equal("alice", name);
    }
}
