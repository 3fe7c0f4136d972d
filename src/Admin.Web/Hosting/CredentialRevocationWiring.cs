using Admin.Data.Credentials;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Admin.Web.Hosting;

/// <summary>
/// Ends live allocations whose credentials were revoked in the database (portal, CLI, raw SQL; seen by
/// Admin.Data's change listener): a user deleted or disabled, a TURN REST secret deleted, a table truncated.
/// Subscribed while the host runs and only when Turnstone:TerminateSessionsOnRevoke is true. Runs on the
/// listener's thread; the engine's terminate calls only walk the allocation table, so it stays quick.
/// </summary>
public sealed partial class CredentialRevocationWiring(
    ICredentialEvents events,
    IRelayControl relay,
    IOptions<RevocationOptions> options,
    ILogger<CredentialRevocationWiring> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.TerminateSessionsOnRevoke) events.Revoked += OnRevoked;
        else LogDisabled(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        events.Revoked -= OnRevoked;
        return Task.CompletedTask;
    }

    internal void OnRevoked(CredentialRevocation revocation)
    {
        var ended = revocation switch
        {
            { Kind: CredentialRevocationKind.UserDeleted or CredentialRevocationKind.UserDisabled, Realm: { } realm, UserName: { } user }
                => relay.TerminateUser(realm, user),
            // turnusers_lt truncated: every stored-key user is gone; TURN REST sessions do not depend on that table.
            { Kind: CredentialRevocationKind.AllUsersDeleted } => relay.TerminateByCredentialKind(RelayCredentialKind.LongTerm),
            { Kind: CredentialRevocationKind.SecretDeleted, Realm: { } realm, SecretSha256: { } secret } => relay.TerminateBySecret(realm, secret),
            { Kind: CredentialRevocationKind.AllSecretsDeleted } => relay.TerminateByCredentialKind(RelayCredentialKind.RestApi),
            _ => 0,
        };
        if (ended > 0) LogEnded(logger, ended, revocation.Kind, revocation.Realm ?? "*");
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Ended {Count} allocation(s) after {Kind} in realm {Realm}")]
    private static partial void LogEnded(ILogger logger, int count, CredentialRevocationKind kind, string realm);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "Turnstone:TerminateSessionsOnRevoke is false: revoked credentials keep their live allocations until they expire")]
    private static partial void LogDisabled(ILogger logger);
}
