using System.Net;
using Admin.Data.Administration;
using Admin.Data.RelayCommands;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;

namespace Admin.Data.Tests.RelayCommands;

/// <summary>
/// Relay commands through Admin.Data against a real database: each command that changed something writes exactly one
/// audit row (with the realm it concerns, none for the whole server), and of two drains at once only one does.
/// </summary>
public sealed class RelayCommandAuditTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private ServiceProvider Commands(FakeRelay relay)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(fixture.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AdminDbContext>>());
        services.AddSingleton(fixture.Services.GetRequiredService<AuditWriter>());
        services.AddSingleton<IRelayState>(relay);
        services.AddSingleton<IRelayControl>(relay);
        services.AddRelayCommands();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public async Task TerminateAllocation_WritesOneRowInItsRealm_WithWhatEnded()
    {
        var realm = AdminDataFixture.NewRealm();
        var relay = new FakeRelay(Allocation("x1-" + realm, "bob", realm));
        await using var services = Commands(relay);

        var result = await services.GetRequiredService<SessionTerminator>().TerminateAllocationAsync(AdminActor.RealmAdmin("ra", realm, "192.0.2.1"), "x1-" + realm);

        Assert.Equal(new TerminationResult(1, AuditWritten: true), result);
        var row = Assert.Single(await AuditRows.ReadAsync(fixture, realm));
        Assert.Equal(("ra", SessionTerminator.TerminateAction, "x1-" + realm, "192.0.2.1"), (row.Admin, row.Action, row.Target, row.ClientAddress));
        Assert.Contains("\"user\": \"bob\"", row.Details);
        Assert.Contains("\"bytesFromClient\": 1000", row.Details);
    }

    [Fact]
    public async Task TerminateUser_WritesOneRowWithTheCount_AndNoneWhenNothingWasLive()
    {
        var realm = AdminDataFixture.NewRealm();
        var relay = new FakeRelay(Allocation("u1-" + realm, "carol", realm), Allocation("u2-" + realm, "carol", realm));
        await using var services = Commands(relay);
        var terminator = services.GetRequiredService<SessionTerminator>();

        Assert.Equal(new TerminationResult(2, true), await terminator.TerminateUserAsync(fixture.Superuser, realm, "carol"));
        Assert.Equal(new TerminationResult(0, true), await terminator.TerminateUserAsync(fixture.Superuser, realm, "carol"));

        var row = Assert.Single(await AuditRows.ReadAsync(fixture, realm));
        Assert.Equal((SessionTerminator.TerminateUserAction, "carol"), (row.Action, row.Target));
        Assert.Contains("\"allocations\": 2", row.Details);
    }

    [Fact]
    public async Task DrainTwiceAtOnce_OneChangesAndAudits_ResumeAuditsOnce()
    {
        var relay = new FakeRelay();
        await using var services = Commands(relay);
        var drain = services.GetRequiredService<RelayDrain>();
        var before = await DrainRowsAsync();

        var results = await Task.WhenAll(drain.DrainAsync(fixture.Superuser), drain.DrainAsync(fixture.Superuser));

        Assert.Single(results, r => r.Changed);
        Assert.All(results, r => Assert.True(r.Draining));
        Assert.Equal(before.Drains + 1, (await DrainRowsAsync()).Drains);
        Assert.True((await drain.ResumeAsync(fixture.Superuser)) is { Changed: true, AuditWritten: true, Draining: false });
        Assert.Equal(before.Resumes + 1, (await DrainRowsAsync()).Resumes);
        var row = (await AuditRows.ReadAsync(fixture, null)).Last(r => r.Action == RelayDrain.ResumeAction);
        Assert.Equal(("relay", "alice"), (row.Target, row.Admin));
    }

    private async Task<(long Drains, long Resumes)> DrainRowsAsync() =>
        (await fixture.ScalarAsync<long>("SELECT count(*) FROM turnstone_audit_log WHERE action = $1", RelayDrain.DrainAction),
         await fixture.ScalarAsync<long>("SELECT count(*) FROM turnstone_audit_log WHERE action = $1", RelayDrain.ResumeAction));

    private static AllocationSnapshot Allocation(string id, string user, string realm) =>
        new(id, user, realm, new IPEndPoint(IPAddress.Loopback, 40000), RelayTransport.Udp, new IPEndPoint(IPAddress.Loopback, 50000),
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(10), [], [], 1000, 10, 2000, 20);

    // Like the engine: draining flips once however many ask at the same moment; terminations remove what they end.
    private sealed class FakeRelay(params AllocationSnapshot[] allocations) : IRelayState, IRelayControl
    {
        private readonly List<AllocationSnapshot> _live = [.. allocations];
        private int _draining;

        public bool IsDraining => Volatile.Read(ref _draining) == 1;

        public RelayStateSnapshot GetSnapshot()
        {
            lock (_live) return new(DateTimeOffset.UtcNow, [.. _live]);
        }

        public IDisposable Subscribe(Action onChanged) => throw new NotSupportedException();

        public bool TerminateAllocation(string allocationId)
        {
            lock (_live) return _live.RemoveAll(a => a.Id == allocationId) > 0;
        }

        public int TerminateUser(string realm, string username)
        {
            lock (_live) return _live.RemoveAll(a => a.Realm == realm && a.Username == username);
        }

        public int TerminateBySecret(string realm, string secretSha256) => throw new NotSupportedException();

        public int TerminateByCredentialKind(RelayCredentialKind kind) => throw new NotSupportedException();

        public bool Drain() => Interlocked.Exchange(ref _draining, 1) == 0;

        public bool Resume() => Interlocked.Exchange(ref _draining, 0) == 1;
    }
}
