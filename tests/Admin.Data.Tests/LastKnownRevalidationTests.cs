using System.Diagnostics;
using Admin.Data.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Admin.Data.Tests;

/// <summary>
/// Revocations made while the change listener could not see the database (its notifications are lost) must not
/// survive in the last-known-good data: when the listener is back, it checks that data against the database.
/// </summary>
public sealed class LastKnownRevalidationTests(ListeningAdminDataFixture fixture) : IClassFixture<ListeningAdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task RevokedWhileTheListenerWasAway_DroppedWhenItReconnects_OthersKept()
    {
        var store = fixture.Services.GetRequiredService<ICredentialStore>();
        var policies = fixture.Services.GetRequiredService<IRealmPolicyStore>();
        Assert.True(await PollAsync(() => fixture.Cache.IsLive), "listener not connected");
        var realm = await fixture.AddRealmAsync();
        foreach (var user in new[] { "kept", "deleted", "disabled", "rekeyed" })
            await fixture.ExecuteAsync("INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, $2, $3)", realm, user, LongTermKey.ComputeHex(user, realm, "pw"));
        await fixture.ExecuteAsync("INSERT INTO turn_secret (realm, value) VALUES ($1, 'secret-a'), ($1, 'secret-b')", realm);
        // Looked up until all is kept: a read that overlaps any notification (the inserts' own) is not kept.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            foreach (var user in new[] { "kept", "deleted", "disabled", "rekeyed" }) Assert.NotNull(await store.GetLongTermKeyAsync(realm, user, None));
            Assert.Equal(2, (await store.GetSharedSecretsAsync(realm, None)).Count);
            await policies.GetPolicyAsync(realm, None);
            if (new[] { "kept", "deleted", "disabled", "rekeyed" }.All(u => fixture.Cache.TryGetLastKnownUser(realm, u, out _))
                && fixture.Cache.TryGetLastKnownSecrets(realm, out _) && fixture.Cache.TryGetLastKnownPolicy(realm, out _))
                break;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "lookups were not kept as last-known-good");
            await Task.Delay(20);
        }

        // The services lose the database; this test keeps one connection to change things meanwhile.
        await using (var keeper = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await keeper.OpenAsync();
            await fixture.Database.SetReachableAsync(false, keeper);
            try
            {
                Assert.True(await PollAsync(() => !fixture.Cache.IsLive), "listener did not notice");
                await using var batch = new NpgsqlBatch(keeper)
                {
                    BatchCommands =
                    {
                        Command("DELETE FROM turnusers_lt WHERE realm = $1 AND name = 'deleted'", realm),
                        Command("UPDATE turnusers_lt SET disabled = true WHERE realm = $1 AND name = 'disabled'", realm),
                        Command($"UPDATE turnusers_lt SET hmackey = '{LongTermKey.ComputeHex("rekeyed", realm, "new")}' WHERE realm = $1 AND name = 'rekeyed'", realm),
                        Command("DELETE FROM turn_secret WHERE realm = $1 AND value = 'secret-a'", realm),
                    },
                };
                await batch.ExecuteNonQueryAsync();
            }
            finally
            {
                await fixture.Database.SetReachableAsync(true);
            }
        }

        Assert.True(await PollAsync(() => fixture.Cache.IsLive, TimeSpan.FromSeconds(15)), "listener did not reconnect");
        Assert.True(fixture.Cache.TryGetLastKnownUser(realm, "kept", out var key));
        Assert.Equal(LongTermKey.Compute("kept", realm, "pw"), key);
        Assert.False(fixture.Cache.TryGetLastKnownUser(realm, "deleted", out _));
        Assert.False(fixture.Cache.TryGetLastKnownUser(realm, "disabled", out _));
        Assert.False(fixture.Cache.TryGetLastKnownUser(realm, "rekeyed", out _));
        Assert.False(fixture.Cache.TryGetLastKnownSecrets(realm, out _));
        Assert.False(fixture.Cache.TryGetLastKnownPolicy(realm, out _)); // read again on the next use
        NpgsqlConnection.ClearAllPools(); // pooled connections the outage ended
    }

    private static NpgsqlBatchCommand Command(string sql, string realm)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = realm });
        return command;
    }

    private static async Task<bool> PollAsync(Func<bool> condition, TimeSpan? deadline = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (deadline ?? TimeSpan.FromSeconds(10))) return false;
            await Task.Delay(20);
        }
        return true;
    }
}
