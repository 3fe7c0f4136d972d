using Admin.Data;
using Admin.Data.Administration;
using Admin.Data.RelayCommands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Turn.Relay.Seams;

namespace Admin.Data.Tests.RelayCommands;

/// <summary>Draining concerns every realm: only superusers may, and asking for the current state changes (and audits) nothing.</summary>
public sealed class RelayDrainTests
{
    [Fact]
    public async Task RealmAdmin_MayNotDrainOrResume()
    {
        var relay = new FakeRelay();
        var drain = NewDrain(relay);
        var admin = AdminActor.RealmAdmin("ra", "mine.example", null);

        var refused = await Assert.ThrowsAsync<AdminOperationException>(() => drain.DrainAsync(admin));
        Assert.Equal(AdminErrorCode.Forbidden, refused.Code);
        relay.IsDraining = true;
        await Assert.ThrowsAsync<AdminOperationException>(() => drain.ResumeAsync(admin));
        Assert.Equal(0, relay.Changes);
    }

    [Fact]
    public async Task Superuser_AskingForTheCurrentState_ChangesAndAuditsNothing()
    {
        // The audit writer has no database here: reaching it would throw, so this also shows nothing is written.
        var relay = new FakeRelay();
        var drain = NewDrain(relay);
        var superuser = AdminActor.Superuser("root", null);

        var resumed = await drain.ResumeAsync(superuser);
        Assert.Equal(new DrainResult(Draining: false, Changed: false, AuditWritten: false), resumed);
        relay.IsDraining = true;
        var drained = await drain.DrainAsync(superuser);
        Assert.Equal(new DrainResult(Draining: true, Changed: false, AuditWritten: false), drained);
        Assert.Equal(0, relay.Changes);
    }

    [Fact]
    public async Task Superuser_DatabaseDown_StillDrains_AndSaysTheAuditRowIsMissing()
    {
        var relay = new FakeRelay();
        var drain = NewDrain(relay, new UnreachableDatabase());

        var result = await drain.DrainAsync(AdminActor.Superuser("root", null));

        Assert.Equal(new DrainResult(Draining: true, Changed: true, AuditWritten: false), result);
        Assert.True(relay.IsDraining);
        Assert.Equal(1, relay.Changes);
    }

    private static RelayDrain NewDrain(FakeRelay relay, IDbContextFactory<AdminDbContext>? database = null) =>
        new(relay, relay, new RelayCommandAudit(database!, new AuditWriter(new FakeTimeProvider()), NullLogger<RelayCommandAudit>.Instance));

    private sealed class UnreachableDatabase : IDbContextFactory<AdminDbContext>
    {
        public AdminDbContext CreateDbContext() => throw new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432");
    }

    private sealed class FakeRelay : IRelayState, IRelayControl
    {
        public int Changes { get; private set; }

        public bool IsDraining { get; set; }

        public RelayStateSnapshot GetSnapshot() => new(DateTimeOffset.UtcNow, []);

        public IDisposable Subscribe(Action onChanged) => throw new NotSupportedException();

        public bool TerminateAllocation(string allocationId) => throw new NotSupportedException();

        public int TerminateUser(string realm, string username) => throw new NotSupportedException();

        public int TerminateBySecret(string realm, string secretSha256) => throw new NotSupportedException();

        public int TerminateByCredentialKind(RelayCredentialKind kind) => throw new NotSupportedException();

        public bool Drain()
        {
            if (IsDraining) return false;
            Changes++;
            IsDraining = true;
            return true;
        }

        public bool Resume()
        {
            if (!IsDraining) return false;
            Changes++;
            IsDraining = false;
            return true;
        }
    }
}
