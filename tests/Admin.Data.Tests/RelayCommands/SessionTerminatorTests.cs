using System.Net;
using Admin.Data.Administration;
using Admin.Data.RelayCommands;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Turn.Relay.Seams;

namespace Admin.Data.Tests.RelayCommands;

/// <summary>Realm admins may only end their realm's allocations: checked on the server against the live state.</summary>
public sealed class SessionTerminatorTests
{
    [Fact]
    public async Task RealmAdmin_OtherRealmsAllocation_NotEnded_AnsweredLikeAnUnknownOne()
    {
        var relay = new FakeRelay();
        var terminator = new SessionTerminator(relay, relay, new RelayCommandAudit(null!, new AuditWriter(new FakeTimeProvider()), NullLogger<RelayCommandAudit>.Instance));
        var admin = AdminActor.RealmAdmin("ra", "mine.example", null);

        // Its id is live in another realm: the same answer as for an id that is not live, so ids cannot be probed.
        Assert.Equal(new TerminationResult(0, true), await terminator.TerminateAllocationAsync(admin, "a1"));
        // Naming another realm outright is refused.
        var all = await Assert.ThrowsAsync<AdminOperationException>(() => terminator.TerminateUserAsync(admin, "other.example", "alice"));
        Assert.Equal(AdminErrorCode.Forbidden, all.Code);
        Assert.Equal(0, relay.Terminations);
        // An allocation that has already gone is not an error (and writes no audit row).
        Assert.Equal(new TerminationResult(0, true), await terminator.TerminateAllocationAsync(admin, "gone"));
    }

    private sealed class FakeRelay : IRelayState, IRelayControl
    {
        public int Terminations { get; private set; }

        public RelayStateSnapshot GetSnapshot() => new(DateTimeOffset.UtcNow,
        [
            new AllocationSnapshot("a1", "alice", "other.example", new IPEndPoint(IPAddress.Loopback, 1), RelayTransport.Udp, new IPEndPoint(IPAddress.Loopback, 2),
                DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(10), [], [], 0, 0, 0, 0),
        ]);

        public IDisposable Subscribe(Action onChanged) => throw new NotSupportedException();

        public bool TerminateAllocation(string allocationId)
        {
            Terminations++;
            return true;
        }

        public int TerminateUser(string realm, string username) => ++Terminations;

        public int TerminateBySecret(string realm, string secretSha256) => throw new NotSupportedException();

        public int TerminateByCredentialKind(RelayCredentialKind kind) => throw new NotSupportedException();

        public bool Drain() => throw new NotSupportedException();

        public bool Resume() => throw new NotSupportedException();

        public bool IsDraining => false;
    }
}
