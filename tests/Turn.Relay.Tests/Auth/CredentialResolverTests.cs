using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Turn.Protocol;
using Turn.Relay.Auth;
using Turn.Relay.Realms;

namespace Turn.Relay.Tests.Auth;

public sealed class CredentialResolverTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static CredentialResolver Resolver()
    {
        var options = Options.Create(new RelayOptions
        {
            DefaultRealm = "default.test",
            Users = [new RelayUser { Name = "alice", Password = "pw" }],
            SharedSecrets = ["s-default"],
            RealmSharedSecrets = new() { ["realm2"] = ["s2a", "s2b"] },
        });
        return new CredentialResolver(new ConfigurationCredentialStore(options), new ConfiguredRealmDirectory(options), Time);
    }

    [Fact]
    public async Task Rest_NamingARealm_UsesItsSecrets_KeyedOnTheOfferedRealm_QuotaOnTheUserPart()
    {
        var username = TurnRestCredential.CreateUsername(Time.GetUtcNow().AddHours(1), "bob@realm2");
        var lookup = await Resolver().ResolveAsync("default.test", username, default);
        Assert.Equal("realm2", lookup.TenantRealm);
        Assert.Equal("bob", lookup.QuotaUser);
        Assert.Equal(["s2a", "s2b"], lookup.Secrets);
        Assert.Equal(TurnRestCredential.ComputeLongTermKey("s2b", username, "default.test"), lookup.Keys[1]);
    }

    [Fact]
    public async Task Rest_KeyIsReused_OnlyAfterARequestAuthenticatedWithIt()
    {
        var resolver = Resolver();
        var username = TurnRestCredential.CreateUsername(Time.GetUtcNow().AddHours(1), "bob@realm2");
        var first = await resolver.ResolveAsync("default.test", username, default);
        // Resolved but never verified (a wrong password, a scan): derived again next time.
        Assert.NotSame(first.Keys[1], (await resolver.ResolveAsync("default.test", username, default)).Keys[1]);

        resolver.Authenticated("s2b", username, "default.test", first.Keys[1]);
        var again = await resolver.ResolveAsync("default.test", username, default);
        Assert.Same(first.Keys[1], again.Keys[1]);
        Assert.NotSame(first.Keys[0], again.Keys[0]);
    }

    [Fact]
    public async Task Rest_Expired_IsExpiredInItsRealm()
    {
        var username = TurnRestCredential.CreateUsername(Time.GetUtcNow().AddSeconds(-1), "bob@realm2");
        var lookup = await Resolver().ResolveAsync("default.test", username, default);
        Assert.True(lookup.IsExpired);
        Assert.Equal("realm2", lookup.TenantRealm);
    }

    [Fact]
    public async Task StoredUser_IsLookedUpInTheOfferedRealm()
    {
        var resolver = Resolver();
        var found = await resolver.ResolveAsync("default.test", "alice", default);
        Assert.Equal(LongTermKey.Compute("alice", "default.test", "pw"), Assert.Single(found.Keys));
        Assert.Equal(("default.test", "alice"), (found.TenantRealm, found.QuotaUser));
        Assert.Empty((await resolver.ResolveAsync("realm2", "alice", default)).Keys);
    }
}
