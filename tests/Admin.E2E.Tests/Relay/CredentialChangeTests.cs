using System.Net;
using Turn.Protocol;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// Changes made in PostgreSQL, with the CLI (a separate process) or raw SQL, reach the running relay within a
/// second and without a restart: users added, deleted, disabled or given a new password; TURN REST secrets added
/// and deleted; a realm's user quota. Revoking credentials ends the allocations they opened (issue 4), which the
/// client sees as 437 once it can authenticate again. Each test uses its own user names.
/// </summary>
[Collection(RelayCollection.Name)]
[Trait("Category", "E2E")]
public sealed class CredentialChangeTests(CohostedRelayFixture fixture, ITestOutputHelper output)
{
    private const string Realm = CohostedRelayApp.Realm;

    private CohostedRelayApp App => fixture.App;

    [Fact]
    public async Task UserAddedWithCli_IsAccepted_AndDeletedWithCli_IsRefused_WithinASecond()
    {
        const string user = "cli-bob", password = "bob-Passw0rd";
        // Asked once before it exists, so the relay's cache holds a negative answer the change must clear.
        Assert.Equal(401, await AllocateOnceAsync(user, password));

        await App.Cli.RunOkAsync("user", "add", "--realm", Realm, "--user", user, "--password", password);
        var added = await Within.AssertAsync(Within.ASecond, async () => await AllocateOnceAsync(user, password) == 0, "CLI-added user accepted");

        await App.Cli.RunOkAsync("user", "delete", "--realm", Realm, "--user", user);
        var deleted = await Within.AssertAsync(Within.ASecond, async () => await AllocateOnceAsync(user, password) == 401, "CLI-deleted user refused");
        output.WriteLine($"accepted after {added.TotalMilliseconds:F0} ms, refused after {deleted.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task UserInsertedWithSql_IsAccepted_AndDeletedWithSql_IsRefused_WithinASecond()
    {
        const string user = "sql-carol", password = "carol-Passw0rd";
        Assert.Equal(401, await AllocateOnceAsync(user, password));

        // As coturn's turnadmin or a provisioning script would: coturn's columns only.
        await App.ExecuteSqlAsync("INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, $2, $3)", Realm, user, LongTermKey.ComputeHex(user, Realm, password));
        var added = await Within.AssertAsync(Within.ASecond, async () => await AllocateOnceAsync(user, password) == 0, "SQL-inserted user accepted");

        await App.ExecuteSqlAsync("DELETE FROM turnusers_lt WHERE realm = $1 AND name = $2", Realm, user);
        var deleted = await Within.AssertAsync(Within.ASecond, async () => await AllocateOnceAsync(user, password) == 401, "SQL-deleted user refused");
        output.WriteLine($"accepted after {added.TotalMilliseconds:F0} ms, refused after {deleted.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task PasswordChangedWithCli_NewAccepted_OldRefused_WithinASecond()
    {
        const string user = "passwd-dave", oldPassword = "dave-Old-Passw0rd", newPassword = "dave-New-Passw0rd";
        await App.Cli.RunOkAsync("user", "add", "--realm", Realm, "--user", user, "--password", oldPassword);
        Assert.Equal(0, await AllocateOnceAsync(user, oldPassword));

        await App.Cli.RunOkAsync("user", "passwd", "--realm", Realm, "--user", user, "--password", newPassword);

        await Within.AssertAsync(Within.ASecond, async () => await AllocateOnceAsync(user, newPassword) == 0, "new password accepted");
        Assert.Equal(401, await AllocateOnceAsync(user, oldPassword));
    }

    [Fact]
    public async Task DisablingAUser_EndsTheirLiveAllocation_OthersKeepTheirs()
    {
        const string user = "disabled-erin", password = "erin-Passw0rd";
        await App.Cli.RunOkAsync("user", "add", "--realm", Realm, "--user", user, "--password", password);
        using var erin = await AllocatedProbeAsync(user, password);
        using var alice = await AllocatedProbeAsync(CohostedRelayFixture.User, CohostedRelayFixture.Password);

        await App.ExecuteSqlAsync("UPDATE turnusers_lt SET disabled = true WHERE realm = $1 AND name = $2", Realm, user);

        await Within.AssertAsync(Within.ASecond, () => Task.FromResult(!App.HasAllocation(erin.RelayedAddress!)), "disabled user's allocation ended");
        Assert.Equal(401, await erin.RefreshAsync());
        Assert.Equal(0, await alice.RefreshAsync());
        // Enabled again, the same client authenticates but its allocation is gone: 437.
        await App.ExecuteSqlAsync("UPDATE turnusers_lt SET disabled = false WHERE realm = $1 AND name = $2", Realm, user);
        await AssertRefreshGets437Async(erin);
        Assert.Equal(0, await alice.RefreshAsync(0));
    }

    [Fact]
    public async Task DeletingAUserWithCli_EndsTheirLiveAllocation()
    {
        const string user = "deleted-frank", password = "frank-Passw0rd";
        await App.Cli.RunOkAsync("user", "add", "--realm", Realm, "--user", user, "--password", password);
        using var frank = await AllocatedProbeAsync(user, password);

        await App.Cli.RunOkAsync("user", "delete", "--realm", Realm, "--user", user);

        await Within.AssertAsync(Within.ASecond, () => Task.FromResult(!App.HasAllocation(frank.RelayedAddress!)), "deleted user's allocation ended");
        await App.Cli.RunOkAsync("user", "add", "--realm", Realm, "--user", user, "--password", password);
        await AssertRefreshGets437Async(frank);
    }

    [Fact]
    public async Task RestCredential_FromCliSecret_IsAccepted_ExpiredOneIsRefused()
    {
        var secret = (await App.Cli.RunOkAsync("secret", "add", "--realm", Realm)).Trim();
        Assert.False(string.IsNullOrEmpty(secret));
        var (user, password) = RestCredential(secret, DateTimeOffset.UtcNow.AddHours(1), "rest-grace");

        // Secrets are read per realm from the database within a second of the change, like users.
        await Within.AssertAsync(Within.ASecond, async () => await AllocateOnceAsync(user, password) == 0, "REST credential accepted");
        var relayed = await AioiceTurnClient.RelayAsync(App.Target(ClientTransport.Udp, user, password), "127.0.0.1", fixture.Peer.Port, channelMessages: 3);
        Assert.True(relayed.Ok, $"failed at {relayed.Step}: {relayed.Error}\n{relayed.Output}");
        Assert.Equal(3, relayed.ChannelMessagesEchoed);

        var (expiredUser, expiredPassword) = RestCredential(secret, DateTimeOffset.UtcNow.AddMinutes(-1), "rest-grace");
        var refused = await AioiceTurnClient.RelayAsync(App.Target(ClientTransport.Udp, expiredUser, expiredPassword), "127.0.0.1", fixture.Peer.Port);
        Assert.False(refused.Ok, refused.Output);
        Assert.Equal("allocate", refused.Step);
        Assert.Equal(401, refused.ErrorCode);
        var (_, wrongPassword) = RestCredential("not-the-secret", DateTimeOffset.UtcNow.AddHours(1), "rest-grace");
        Assert.Equal(401, await AllocateOnceAsync(user, wrongPassword));
    }

    [Fact]
    public async Task DeletingTheSigningSecretWithCli_EndsOnlyTheAllocationsItSigned()
    {
        const string doomed = "e2e-doomed-secret-0123456789", kept = "e2e-kept-secret-9876543210";
        await App.Cli.RunOkAsync("secret", "add", "--realm", Realm, "--secret", doomed);
        await App.Cli.RunOkAsync("secret", "add", "--realm", Realm, "--secret", kept);
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        var (doomedUser, doomedPassword) = RestCredential(doomed, expires, "rest-henry");
        var (keptUser, keptPassword) = RestCredential(kept, expires, "rest-ida");
        using var signedByDoomed = await AllocatedProbeAsync(doomedUser, doomedPassword);
        using var signedByKept = await AllocatedProbeAsync(keptUser, keptPassword);

        await App.Cli.RunOkAsync("secret", "delete", "--realm", Realm, "--secret", doomed);

        await Within.AssertAsync(Within.ASecond, () => Task.FromResult(!App.HasAllocation(signedByDoomed.RelayedAddress!)), "allocation signed by the deleted secret ended");
        Assert.True(App.HasAllocation(signedByKept.RelayedAddress!), "the other secret's allocation must stay");
        Assert.Equal(0, await signedByKept.RefreshAsync());
        await App.Cli.RunOkAsync("secret", "add", "--realm", Realm, "--secret", doomed);
        await AssertRefreshGets437Async(signedByDoomed);
        Assert.Equal(0, await signedByKept.RefreshAsync(0));
    }

    [Fact]
    public async Task UserQuotaSetInTurnRealmOption_TakesEffectWithinASecond()
    {
        // The realm the relay offers (a client is refused in any realm it was not offered, issue 12); the tests of this
        // collection run one at a time, and the quota is lifted whatever happens.
        const string realm = Realm, user = "quota-jane", password = "jane-Passw0rd";
        await App.Cli.RunOkAsync("user", "add", "--realm", realm, "--user", user, "--password", password);
        using var first = await AllocatedProbeAsync(user, password, realm);
        Assert.Equal(0, await AllocateOnceAsync(user, password, realm));

        try
        {
            await App.ExecuteSqlAsync("INSERT INTO turn_realm_option (realm, opt, value) VALUES ($1, 'user-quota', '1')", realm);
            await Within.AssertAsync(Within.ASecond, async () => await AllocateOnceAsync(user, password, realm) == 486, "second allocation refused with 486");
        }
        finally
        {
            await App.ExecuteSqlAsync("DELETE FROM turn_realm_option WHERE realm = $1 AND opt = 'user-quota'", realm);
        }
        await Within.AssertAsync(Within.ASecond, async () => await AllocateOnceAsync(user, password, realm) == 0, "quota lifted");
        Assert.Equal(0, await first.RefreshAsync(0));
    }

    private static (string User, string Password) RestCredential(string secret, DateTimeOffset expires, string user)
    {
        var username = TurnRestCredential.CreateUsername(expires, user);
        return (username, TurnRestCredential.ComputePassword(secret, username));
    }

    // One Allocate from a fresh client; a success is deleted again at once. Returns 0 or the error code.
    private async Task<int> AllocateOnceAsync(string user, string password, string realm = Realm)
    {
        using var probe = new TurnProbe(App.UdpEndPoint, realm, user, password);
        var code = await probe.AllocateAsync();
        if (code == 0) Assert.Equal(0, await probe.RefreshAsync(0));
        return code;
    }

    private async Task<TurnProbe> AllocatedProbeAsync(string user, string password, string realm = Realm)
    {
        var probe = new TurnProbe(App.UdpEndPoint, realm, user, password);
        var code = await probe.AllocateAsync();
        Assert.True(code == 0, $"Allocate for {user} answered {code}");
        Assert.True(App.HasAllocation(probe.RelayedAddress!), $"no allocation on {probe.RelayedAddress}");
        return probe;
    }

    // Once the credentials are valid again (the cache sees that within a second), a Refresh authenticates and
    // finds no allocation on its 5-tuple.
    private static async Task AssertRefreshGets437Async(TurnProbe probe)
    {
        var last = 0;
        await Within.AssertAsync(Within.ASecond, async () => (last = await probe.RefreshAsync()) != 401, "credentials valid again");
        Assert.Equal(437, last);
    }
}
