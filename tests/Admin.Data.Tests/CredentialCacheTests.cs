using Admin.Data.Credentials;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Data.Tests;

public sealed class CredentialCacheTests
{
    private static readonly byte[] Key = new byte[16];

    private static CredentialCache NewCache(int maxEntries = 100)
    {
        var options = Options.Create(new AdminDataOptions { CacheMaxEntries = maxEntries });
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
    public void Store_AfterInvalidationDuringLoad_IsDiscarded()
    {
        var cache = NewCache();
        var generation = cache.BeginLoad();

        cache.Apply("turnusers_lt|U|r|u");  // a change lands while the lookup reads the old row
        cache.StoreUser("r", "u", Key, generation);

        Assert.False(cache.TryGetUser("r", "u", out _));
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

    [Theory]
    [InlineData("garbage")]
    [InlineData("unknown_table|I|r|")]
    [InlineData("turnusers_lt|T||")]
    public void Apply_UnknownOrTruncate_FlushesEverything(string payload)
    {
        var cache = NewCache();
        cache.StoreUser("r", "u", Key, cache.BeginLoad());
        cache.StoreSecrets("r", ["s"], cache.BeginLoad());
        cache.StorePolicy("r", RealmPolicy.Empty, cache.BeginLoad());

        cache.Apply(payload);

        Assert.False(cache.TryGetUser("r", "u", out _));
        Assert.False(cache.TryGetSecrets("r", out _));
        Assert.False(cache.TryGetPolicy("r", out _));
    }

    [Fact]
    public void Apply_OneUser_DropsOnlyThatUser()
    {
        var cache = NewCache();
        cache.StoreUser("r", "a", Key, cache.BeginLoad());
        cache.StoreUser("r", "b|with|pipes", Key, cache.BeginLoad());
        cache.StoreUser("r", "c", Key, cache.BeginLoad());

        cache.Apply("turnusers_lt|D|r|b|with|pipes");
        var generation = cache.BeginLoad();
        cache.StoreUser("r", "a", Key, generation);

        Assert.False(cache.TryGetUser("r", "b|with|pipes", out _));
        Assert.True(cache.TryGetUser("r", "a", out _));
    }

    [Fact]
    public void Store_BeyondMaxEntries_StartsOver()
    {
        var cache = NewCache(maxEntries: 100);
        for (var i = 0; i < 100; i++) cache.StoreUser("r", $"u{i}", null, cache.BeginLoad());
        Assert.True(cache.TryGetUser("r", "u99", out _));

        cache.StoreUser("r", "u100", null, cache.BeginLoad());

        Assert.False(cache.TryGetUser("r", "u0", out _));
        Assert.False(cache.TryGetUser("r", "u99", out _));
    }

    [Fact]
    public void RevocationHandlerThatThrows_DoesNotStopOthers()
    {
        var cache = NewCache();
        var seen = new List<CredentialRevocation>();
        cache.Revoked += _ => throw new InvalidOperationException("handler bug");
        cache.Revoked += seen.Add;

        cache.Apply("turnusers_lt|R|r|u");
        cache.Apply("turn_secret|D|r|abcd");
        cache.Apply("turnusers_lt|I|r|v");

        Assert.Equal(
            [new CredentialRevocation(CredentialRevocationKind.UserDisabled, "r", "u", null), new CredentialRevocation(CredentialRevocationKind.SecretDeleted, "r", null, "abcd")],
            seen);
    }
}
