using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Admin.Data.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Turn.Protocol;

namespace Admin.Data.Tests.Credentials;

/// <summary>
/// Notifications only make the server re-read: a revocation is raised only when the database agrees. A forged
/// NOTIFY (any role may send one) for a user or secret that still exists ends nothing; a real change with odd names
/// ('|' in realm and user, quotes, non-ASCII) arrives intact.
/// </summary>
public sealed class RevocationVerifierTests(ListeningAdminDataFixture fixture) : IClassFixture<ListeningAdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private ICredentialEvents Events => fixture.Services.GetRequiredService<ICredentialEvents>();

    private PostgresCredentialStore Store => fixture.Services.GetRequiredService<PostgresCredentialStore>();

    [Fact]
    public async Task ForgedNotifications_ForRowsThatStillExist_EndNothing_ButMakeTheCacheReRead()
    {
        await WaitUntilLiveAsync();
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "alice", "pw", None);
        await fixture.Secrets.AddAsync(fixture.Superuser, realm, "s3cret", None);
        Assert.NotNull(await Store.GetLongTermKeyAsync(realm, "alice", None));
        var seen = Watch(realm, out var stop);
        try
        {
            await NotifyAsync(Payload.User('D', realm, "alice"));
            await NotifyAsync(Payload.User('R', realm, "alice"));
            await NotifyAsync(Payload.Secret('D', realm, Sha256Hex("s3cret")));
            await NotifyAsync(Payload.Of("turnusers_lt", 'T'));
            await NotifyAsync(Payload.Of("turn_secret", 'T'));
            // A real revocation after the forged ones: once it is seen, the forged ones were checked (one queue, in order).
            await fixture.Users.AddAsync(fixture.Superuser, realm, "bob", "pw", None);
            await fixture.Users.DeleteAsync(fixture.Superuser, realm, "bob", None);

            Assert.True(await PollAsync(() => Task.FromResult(!seen.IsEmpty), TimeSpan.FromSeconds(5)), "the real deletion was not reported");
            Assert.Equal([new CredentialRevocation(CredentialRevocationKind.UserDeleted, realm, "bob", null)], seen.ToArray());
            Assert.Equal(LongTermKey.Compute("alice", realm, "pw"), await Store.GetLongTermKeyAsync(realm, "alice", None));
        }
        finally
        {
            stop();
        }
    }

    [Theory]
    [InlineData("pipe|realm|", "user|with|pipes")]
    [InlineData("q\"uote.example", "back\\slash \"quoted\"")]
    [InlineData("räälm.example", "名前")]
    public async Task RealDeletion_WithOddNames_IsReportedWithTheExactNames(string realmPrefix, string name)
    {
        await WaitUntilLiveAsync();
        var realm = realmPrefix + AdminDataFixture.NewRealm();
        // Raw SQL, as coturn's tools would write it (the portal would refuse some of these names).
        await fixture.ExecuteAsync("INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, $2, $3)", realm, name, LongTermKey.ComputeHex(name, realm, "pw"));
        Assert.NotNull(await Store.GetLongTermKeyAsync(realm, name, None));
        var seen = Watch(realm, out var stop);
        try
        {
            await fixture.ExecuteAsync("UPDATE turnusers_lt SET disabled = true WHERE realm = $1 AND name = $2", realm, name);
            Assert.True(await PollAsync(async () => await Store.GetLongTermKeyAsync(realm, name, None) is null), "the disabled user was still accepted after one second");
            // The verifier re-reads the row before it reports: delete only once it has, or it would find the row gone
            // and (rightly) report a deletion for both notifications.
            Assert.True(await PollAsync(() => Task.FromResult(seen.Count >= 1), TimeSpan.FromSeconds(5)), "the disabling was not reported");
            await fixture.ExecuteAsync("DELETE FROM turnusers_lt WHERE realm = $1 AND name = $2", realm, name);

            Assert.True(await PollAsync(() => Task.FromResult(seen.Count >= 2), TimeSpan.FromSeconds(5)), $"saw {seen.Count} revocations");
            Assert.Equal(
                [
                    new CredentialRevocation(CredentialRevocationKind.UserDisabled, realm, name, null),
                    new CredentialRevocation(CredentialRevocationKind.UserDeleted, realm, name, null),
                ],
                seen.ToArray());
        }
        finally
        {
            stop();
        }
    }

    [Fact]
    public async Task HandlerThatThrows_DoesNotStopOthers()
    {
        await WaitUntilLiveAsync();
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "u", "pw", None);
        void Throwing(CredentialRevocation r) => throw new InvalidOperationException("handler bug");
        Events.Revoked += Throwing;
        var seen = Watch(realm, out var stop);
        try
        {
            await fixture.Users.SetDisabledAsync(fixture.Superuser, realm, "u", true, null, None);
            Assert.True(await PollAsync(() => Task.FromResult(!seen.IsEmpty), TimeSpan.FromSeconds(5)));
            Assert.Equal([new CredentialRevocation(CredentialRevocationKind.UserDisabled, realm, "u", null)], seen.ToArray());
        }
        finally
        {
            Events.Revoked -= Throwing;
            stop();
        }
    }

    private ConcurrentQueue<CredentialRevocation> Watch(string realm, out Action stop)
    {
        var seen = new ConcurrentQueue<CredentialRevocation>();
        void Handler(CredentialRevocation r)
        {
            if (r.Realm == realm || r.Realm is null) seen.Enqueue(r);
        }
        var events = Events;
        events.Revoked += Handler;
        stop = () => events.Revoked -= Handler;
        return seen;
    }

    private Task NotifyAsync(string payload) => fixture.ExecuteAsync("SELECT pg_notify('turnstone_changes', $1)", payload);

    private static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private async Task WaitUntilLiveAsync() =>
        Assert.True(await PollAsync(() => Task.FromResult(fixture.Cache.IsLive), TimeSpan.FromSeconds(10)), "listener not connected");

    private static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return true;
            if (clock.Elapsed > (deadline ?? TimeSpan.FromSeconds(1))) return false;
            await Task.Delay(20);
        }
    }
}
