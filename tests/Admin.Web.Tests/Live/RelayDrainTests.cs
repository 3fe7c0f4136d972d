using Admin.Data.Administration;
using Admin.Web.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Live;

/// <summary>Draining concerns every realm: only superusers may, and asking for the current state changes (and audits) nothing.</summary>
public sealed class RelayDrainTests
{
    [Fact]
    public async Task RealmAdmin_MayNotDrainOrResume()
    {
        var relay = new FakeRelay();
        var drain = NewDrain(relay);
        var admin = AdminActor.RealmAdmin("ra", "mine.example", null);

        var refused = await Assert.ThrowsAsync<AdminOperationException>(() => drain.DrainAsync(admin, CancellationToken.None));
        Assert.Equal(AdminErrorCode.Forbidden, refused.Code);
        relay.IsDraining = true;
        await Assert.ThrowsAsync<AdminOperationException>(() => drain.ResumeAsync(admin, CancellationToken.None));
        Assert.Equal(0, relay.Changes);
    }

    [Fact]
    public async Task Superuser_AskingForTheCurrentState_ChangesAndAuditsNothing()
    {
        // The audit writer has no database here: reaching it would throw, so this also shows nothing is written.
        var relay = new FakeRelay();
        var drain = NewDrain(relay);
        var superuser = AdminActor.Superuser("root", null);

        var resumed = await drain.ResumeAsync(superuser, CancellationToken.None);
        Assert.Equal(new DrainResult(Draining: false, Changed: false, AuditWritten: true), resumed);
        relay.IsDraining = true;
        var drained = await drain.DrainAsync(superuser, CancellationToken.None);
        Assert.Equal(new DrainResult(Draining: true, Changed: false, AuditWritten: true), drained);
        Assert.Equal(0, relay.Changes);
    }

    private static RelayDrain NewDrain(FakeRelay relay) =>
        new(relay, relay, new RelayCommandAudit(null!, new AuditWriter(new FakeTimeProvider()), NullLogger<RelayCommandAudit>.Instance));

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

        public void Drain()
        {
            Changes++;
            IsDraining = true;
        }

        public void Resume()
        {
            Changes++;
            IsDraining = false;
        }
    }
}
