using Admin.Data.Credentials;
using Admin.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Hosting;

/// <summary>Which engine command each revocation becomes (the full-stack effect is in Admin.E2E.Tests/Relay).</summary>
public sealed class CredentialRevocationWiringTests
{
    private readonly Events _events = new();
    private readonly RecordingRelayControl _relay = new();

    [Fact]
    public async Task Revocations_BecomeTheMatchingTerminateCalls()
    {
        var wiring = await StartAsync(terminate: true);

        _events.Raise(new CredentialRevocation(CredentialRevocationKind.UserDeleted, "r1", "alice", null));
        _events.Raise(new CredentialRevocation(CredentialRevocationKind.UserDisabled, "r1", "bob", null));
        _events.Raise(new CredentialRevocation(CredentialRevocationKind.SecretDeleted, "r2", null, "ab12"));
        _events.Raise(new CredentialRevocation(CredentialRevocationKind.AllUsersDeleted, null, null, null));
        _events.Raise(new CredentialRevocation(CredentialRevocationKind.AllSecretsDeleted, null, null, null));

        Assert.Equal(["user r1 alice", "user r1 bob", "secret r2 ab12", "kind LongTerm", "kind RestApi"], _relay.Calls);
        await wiring.StopAsync(CancellationToken.None);
        _events.Raise(new CredentialRevocation(CredentialRevocationKind.UserDeleted, "r1", "carol", null));
        Assert.Equal(5, _relay.Calls.Count);
    }

    [Fact]
    public async Task TerminateSessionsOnRevokeFalse_LeavesAllocationsAlone()
    {
        await StartAsync(terminate: false);

        _events.Raise(new CredentialRevocation(CredentialRevocationKind.UserDeleted, "r1", "alice", null));

        Assert.Empty(_relay.Calls);
        Assert.True(new RevocationOptions().TerminateSessionsOnRevoke, "on by default");
    }

    private async Task<CredentialRevocationWiring> StartAsync(bool terminate)
    {
        var wiring = new CredentialRevocationWiring(_events, _relay, Options.Create(new RevocationOptions { TerminateSessionsOnRevoke = terminate }),
            NullLogger<CredentialRevocationWiring>.Instance);
        await wiring.StartAsync(CancellationToken.None);
        return wiring;
    }

    private sealed class Events : ICredentialEvents
    {
        public event Action<CredentialRevocation>? Revoked;

        public void Raise(CredentialRevocation revocation) => Revoked?.Invoke(revocation);
    }

    private sealed class RecordingRelayControl : IRelayControl
    {
        public List<string> Calls { get; } = [];

        public bool IsDraining => false;

        public bool TerminateAllocation(string allocationId) => throw new NotSupportedException();

        public int TerminateUser(string realm, string username)
        {
            Calls.Add($"user {realm} {username}");
            return 1;
        }

        public int TerminateBySecret(string realm, string secretSha256)
        {
            Calls.Add($"secret {realm} {secretSha256}");
            return 1;
        }

        public int TerminateByCredentialKind(RelayCredentialKind kind)
        {
            Calls.Add($"kind {kind}");
            return 1;
        }

        public bool Drain() => throw new NotSupportedException();

        public bool Resume() => throw new NotSupportedException();
    }
}
