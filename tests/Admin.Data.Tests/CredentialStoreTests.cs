using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Admin.Data.Administration;
using Admin.Data.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Admin.Data.Tests;

/// <summary>The relay's view of the database: changes made elsewhere must show within one second.</summary>
public sealed class CredentialStoreTests(ListeningAdminDataFixture fixture) : IClassFixture<ListeningAdminDataFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);
    private static readonly CancellationToken None = CancellationToken.None;

    private ICredentialStore Store => fixture.Services.GetRequiredService<ICredentialStore>();

    private IRealmPolicyStore Policies => fixture.Services.GetRequiredService<IRealmPolicyStore>();

    [Fact]
    public void AddAdminData_ReplacesEngineSeams()
    {
        Assert.IsType<PostgresCredentialStore>(Store);
        Assert.IsType<PostgresRealmPolicyStore>(Policies);
    }

    [Fact]
    public async Task UserInsertedAndDeletedByRawSql_SeenWithinOneSecond()
    {
        await WaitUntilListeningAsync();
        var realm = AdminDataFixture.NewRealm();
        Assert.Null(await Store.GetLongTermKeyAsync(realm, "gorst", None)); // caches the negative answer

        await fixture.ExecuteAsync("INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, 'gorst', $2)", realm, LongTermKey.ComputeHex("gorst", realm, "hero"));
        var added = await PollAsync(async () => await Store.GetLongTermKeyAsync(realm, "gorst", None) is not null);
        Assert.True(added, "the inserted user was not visible within one second");
        Assert.Equal(LongTermKey.Compute("gorst", realm, "hero"), await Store.GetLongTermKeyAsync(realm, "gorst", None));

        await fixture.ExecuteAsync("DELETE FROM turnusers_lt WHERE realm = $1 AND name = 'gorst'", realm);
        var deleted = await PollAsync(async () => await Store.GetLongTermKeyAsync(realm, "gorst", None) is null);
        Assert.True(deleted, "the deleted user was still accepted after one second");
    }

    [Fact]
    public async Task DisabledUser_ReturnsNull_AndEnabledAgainReturnsKey()
    {
        await WaitUntilListeningAsync();
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "u", "pw", None);
        Assert.NotNull(await Store.GetLongTermKeyAsync(realm, "u", None));

        await fixture.Users.SetDisabledAsync(fixture.Superuser, realm, "u", true, null, None);
        Assert.True(await PollAsync(async () => await Store.GetLongTermKeyAsync(realm, "u", None) is null));

        await fixture.Users.SetDisabledAsync(fixture.Superuser, realm, "u", false, null, None);
        Assert.True(await PollAsync(async () => await Store.GetLongTermKeyAsync(realm, "u", None) is not null));
    }

    [Fact]
    public async Task PasswordChange_NewKeyWithinOneSecond()
    {
        await WaitUntilListeningAsync();
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "p", "old", None);
        Assert.Equal(LongTermKey.Compute("p", realm, "old"), await Store.GetLongTermKeyAsync(realm, "p", None));

        await fixture.Users.ChangePasswordAsync(fixture.Superuser, realm, "p", "new", null, None);

        var expected = LongTermKey.Compute("p", realm, "new");
        Assert.True(await PollAsync(async () => (await Store.GetLongTermKeyAsync(realm, "p", None))?.SequenceEqual(expected) == true));
    }

    [Fact]
    public async Task CachedLookups_DoNotQueryTheDatabase()
    {
        await WaitUntilListeningAsync();
        var realm = AdminDataFixture.NewRealm();
        // Write behind the triggers' back (no notification), so only the cache can explain an unchanged answer.
        await fixture.ExecuteAsync($"""
            ALTER TABLE turnusers_lt DISABLE TRIGGER turnstone_notify_row;
            INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ('{realm}', 'c', '{LongTermKey.ComputeHex("c", realm, "pw")}');
            ALTER TABLE turnusers_lt ENABLE TRIGGER turnstone_notify_row;
            """);
        var first = await Store.GetLongTermKeyAsync(realm, "c", None);
        Assert.Equal(LongTermKey.Compute("c", realm, "pw"), first);

        await fixture.ExecuteAsync($"""
            ALTER TABLE turnusers_lt DISABLE TRIGGER turnstone_notify_row;
            UPDATE turnusers_lt SET hmackey = '00000000000000000000000000000000' WHERE realm = '{realm}';
            ALTER TABLE turnusers_lt ENABLE TRIGGER turnstone_notify_row;
            """);

        Assert.Equal(first, await Store.GetLongTermKeyAsync(realm, "c", None));
    }

    [Fact]
    public async Task Secrets_AddedAndDeleted_SeenWithinOneSecond()
    {
        await WaitUntilListeningAsync();
        var realm = await fixture.AddRealmAsync();
        Assert.Empty(await Store.GetSharedSecretsAsync(realm, None));

        await fixture.ExecuteAsync("INSERT INTO turn_secret (realm, value) VALUES ($1, 'logen'), ($1, 'north')", realm);
        Assert.True(await PollAsync(async () => (await Store.GetSharedSecretsAsync(realm, None)).Count == 2));

        await fixture.Secrets.DeleteAsync(fixture.Superuser, realm, "logen", None);
        Assert.True(await PollAsync(async () => (await Store.GetSharedSecretsAsync(realm, None)).SequenceEqual(["north"])));
    }

    [Fact]
    public async Task Policy_OptionsAndRules_SeenWithinOneSecond()
    {
        await WaitUntilListeningAsync();
        var realm = await fixture.AddRealmAsync();
        Assert.Same(RealmPolicy.Empty, await Policies.GetPolicyAsync(realm, None));

        await fixture.Realms.SetLimitsAsync(fixture.Superuser, realm, new RealmLimits(2, 50, 64000), None);
        await fixture.PeerRules.AddAsync(fixture.Superuser, realm, PeerRuleKind.Allow, "10.0.0.0/8", None);
        await fixture.ExecuteAsync("INSERT INTO denied_peer_ip (realm, ip_range) VALUES ($1, '10.1.0.0/16')", realm);

        Assert.True(await PollAsync(async () =>
        {
            var p = await Policies.GetPolicyAsync(realm, None);
            return p.UserQuota == 2 && p.TotalQuota == 50 && p.MaxBitsPerSecond == 64000
                && p.AllowedPeerRanges.SequenceEqual(["10.0.0.0/8"]) && p.DeniedPeerRanges.SequenceEqual(["10.1.0.0/16"]);
        }));
    }

    [Fact]
    public async Task Revocations_RaisedForDeleteDisableAndSecretDelete()
    {
        await WaitUntilListeningAsync();
        var realm = await fixture.AddRealmAsync();
        var seen = new ConcurrentQueue<CredentialRevocation>();
        void Handler(CredentialRevocation r) { if (r.Realm == realm) seen.Enqueue(r); }
        var events = fixture.Services.GetRequiredService<ICredentialEvents>();
        events.Revoked += Handler;
        try
        {
            await fixture.Users.AddAsync(fixture.Superuser, realm, "d1", "pw", None);
            await fixture.Users.AddAsync(fixture.Superuser, realm, "d2", "pw", None);
            await fixture.Secrets.AddAsync(fixture.Superuser, realm, "logen", None);
            await fixture.Users.SetDisabledAsync(fixture.Superuser, realm, "d1", true, null, None);
            await fixture.ExecuteAsync("DELETE FROM turnusers_lt WHERE realm = $1 AND name = 'd2'", realm);
            await fixture.Secrets.DeleteAsync(fixture.Superuser, realm, "logen", None);

            Assert.True(await PollAsync(() => Task.FromResult(seen.Count >= 3)), $"saw {seen.Count} revocations");
            var expectedSecret = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("logen")));
            Assert.Equal(
                [
                    new CredentialRevocation(CredentialRevocationKind.UserDisabled, realm, "d1", null),
                    new CredentialRevocation(CredentialRevocationKind.UserDeleted, realm, "d2", null),
                    new CredentialRevocation(CredentialRevocationKind.SecretDeleted, realm, null, expectedSecret),
                ],
                seen.ToArray());
        }
        finally
        {
            events.Revoked -= Handler;
        }
    }

    [Fact]
    public async Task FindUserNameByHash_ResolvesUserHash()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "hashed", "pw", None);
        var store = fixture.Services.GetRequiredService<PostgresCredentialStore>();

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"hashed:{realm}"));

        Assert.Equal("hashed", await store.FindUserNameByHashAsync(realm, hash, None));
        Assert.Null(await store.FindUserNameByHashAsync(realm, new byte[32], None));
    }

    [Fact]
    public async Task ListenerKilled_FlushesReconnectsAndStaysFresh()
    {
        await WaitUntilListeningAsync();
        var realm = await fixture.AddRealmAsync();
        Assert.Null(await Store.GetLongTermKeyAsync(realm, "late", None)); // a negative answer is cached

        var killed = await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()) AS k",
            ChangeListener.ApplicationName);
        Assert.Equal(1L, killed);
        // While the listener is away, a change must not be hidden by the cache.
        await fixture.ExecuteAsync("INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, 'late', $2)", realm, LongTermKey.ComputeHex("late", realm, "pw"));
        Assert.True(await PollAsync(async () => await Store.GetLongTermKeyAsync(realm, "late", None) is not null), "insert during the outage not seen within one second");

        // It comes back (first retry after 100 ms), and then changes are again seen through notifications.
        Assert.True(await PollAsync(async () => fixture.Cache.IsLive && await ListenerConnectionsAsync() == 1, TimeSpan.FromSeconds(10)), "listener did not reconnect");
        Assert.NotNull(await Store.GetLongTermKeyAsync(realm, "late", None));
        await fixture.ExecuteAsync("DELETE FROM turnusers_lt WHERE realm = $1 AND name = 'late'", realm);
        Assert.True(await PollAsync(async () => await Store.GetLongTermKeyAsync(realm, "late", None) is null), "delete after reconnect not seen within one second");
    }

    private async Task<long> ListenerConnectionsAsync() =>
        await fixture.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()", ChangeListener.ApplicationName);

    private async Task WaitUntilListeningAsync() =>
        Assert.True(await PollAsync(async () => fixture.Cache.IsLive && await ListenerConnectionsAsync() == 1, TimeSpan.FromSeconds(10)), "listener not connected");

    /// <summary>Polls until the condition holds or the deadline (default one second) passes.</summary>
    private static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = deadline ?? Deadline;
        while (true)
        {
            if (await condition()) return true;
            if (clock.Elapsed > limit) return false;
            await Task.Delay(20);
        }
    }
}
