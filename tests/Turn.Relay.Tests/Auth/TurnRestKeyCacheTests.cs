using Turn.Protocol;
using Turn.Relay.Auth;

namespace Turn.Relay.Tests.Auth;

public sealed class TurnRestKeyCacheTests
{
    [Fact]
    public void Key_IsTheDerivedOne_KeptOnlyOnceRemembered_DistinctForAnyOtherPart()
    {
        var cache = new TurnRestKeyCache();
        var key = cache.Get("secret", "1800000000:bob", "example.test");
        Assert.Equal(TurnRestCredential.ComputeLongTermKey("secret", "1800000000:bob", "example.test"), key);
        // Asked for, not authenticated with: nothing kept.
        Assert.Equal(0, cache.Count);
        Assert.NotSame(key, cache.Get("secret", "1800000000:bob", "example.test"));

        cache.Remember("secret", "1800000000:bob", "example.test", key);
        Assert.Same(key, cache.Get("secret", "1800000000:bob", "example.test"));

        // Another secret (a rotation), user name or offered realm is another key.
        Assert.Equal(TurnRestCredential.ComputeLongTermKey("secret2", "1800000000:bob", "example.test"), cache.Get("secret2", "1800000000:bob", "example.test"));
        Assert.Equal(TurnRestCredential.ComputeLongTermKey("secret", "1800000001:bob", "example.test"), cache.Get("secret", "1800000001:bob", "example.test"));
        Assert.Equal(TurnRestCredential.ComputeLongTermKey("secret", "1800000000:bob", "other.test"), cache.Get("secret", "1800000000:bob", "other.test"));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void ManyNamesRemembered_KeepItWithinItsCapacity_AndKeysStayRight()
    {
        var cache = new TurnRestKeyCache();
        for (var i = 0; i < TurnRestKeyCache.Capacity * 3; i++)
        {
            var name = $"1800000000:user-{i}";
            var key = cache.Get("secret", name, "example.test");
            cache.Remember("secret", name, "example.test", key);
            Assert.True(cache.Count <= TurnRestKeyCache.Capacity, $"{cache.Count} entries after {i + 1}");
            if (i % 997 == 0) Assert.Equal(TurnRestCredential.ComputeLongTermKey("secret", name, "example.test"), key);
        }
    }
}
