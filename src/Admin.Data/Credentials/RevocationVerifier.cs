using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Admin.Data.Credentials;

/// <summary>
/// Turns change notifications that may mean a revocation (a user deleted or disabled, a secret deleted, a table
/// truncated) into <see cref="ICredentialEvents.Revoked"/>, but only after reading the database: the user row is
/// really gone or disabled, no secret of the realm has that SHA-256, the table is really empty. A notification is
/// anyone's word (every role that can connect may NOTIFY the channel), so on its own it can never end a session.
/// Checks run one at a time in arrival order on a queue of at most <see cref="MaxPending"/>; beyond that they are
/// dropped and logged (a session of a really revoked user then ends at its next Refresh, which looks the key up
/// again). A check the database cannot answer is retried every second for up to <see cref="MaxAttempts"/> tries.
/// </summary>
public sealed partial class RevocationVerifier(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger<RevocationVerifier> logger)
    : BackgroundService, ICredentialEvents
{
    /// <summary>Most checks waiting at once.</summary>
    public const int MaxPending = 10_000;

    private const int MaxAttempts = 30;

    private readonly Channel<ChangeNotification> _pending = Channel.CreateBounded<ChangeNotification>(
        new BoundedChannelOptions(MaxPending) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private long _dropped;

    public event Action<CredentialRevocation>? Revoked;

    /// <summary>Queues a check if the notification could be a revocation; false when it was dropped (queue full).</summary>
    internal bool Enqueue(ChangeNotification notification)
    {
        if (!MayRevoke(notification)) return true;
        if (_pending.Writer.TryWrite(notification)) return true;
        if (Interlocked.Increment(ref _dropped) is 1 or 1000 or 100_000) LogDropped(logger, Interlocked.Read(ref _dropped));
        return false;
    }

    internal static bool MayRevoke(ChangeNotification n) => n switch
    {
        { Table: "turnusers_lt", Op: 'D' or 'R' or 'T' } => true,
        { Table: "turn_secret", Op: 'D' or 'T' } => true,
        _ => false,
    };

    /// <summary>What the database says now about the notification's claim: a revocation, or null when nothing was revoked.</summary>
    internal async Task<CredentialRevocation?> CheckAsync(ChangeNotification n, CancellationToken cancellationToken)
    {
        switch (n)
        {
            case { Table: "turnusers_lt", Op: 'T' }:
                return await ScalarAsync<bool>("SELECT NOT EXISTS (SELECT 1 FROM turnusers_lt)", [], cancellationToken)
                    ? new CredentialRevocation(CredentialRevocationKind.AllUsersDeleted, null, null, null) : null;
            case { Table: "turn_secret", Op: 'T' }:
                return await ScalarAsync<bool>("SELECT NOT EXISTS (SELECT 1 FROM turn_secret)", [], cancellationToken)
                    ? new CredentialRevocation(CredentialRevocationKind.AllSecretsDeleted, null, null, null) : null;
            case { Table: "turnusers_lt" }:
                // null = no row; true = disabled; false = the user is there and enabled (nothing to end).
                var disabled = await ScalarAsync<bool?>("SELECT disabled FROM turnusers_lt WHERE realm = $1 AND name = $2", [n.Realm, n.Detail], cancellationToken);
                return disabled switch
                {
                    null => new CredentialRevocation(CredentialRevocationKind.UserDeleted, n.Realm, n.Detail, null),
                    true => new CredentialRevocation(CredentialRevocationKind.UserDisabled, n.Realm, n.Detail, null),
                    false => null,
                };
            case { Table: "turn_secret" } when IsSha256Hex(n.Detail):
                var present = await ScalarAsync<bool>(
                    "SELECT EXISTS (SELECT 1 FROM turn_secret WHERE realm = $1 AND value IS NOT NULL AND encode(sha256(convert_to(value, 'UTF8')), 'hex') = $2)",
                    [n.Realm, n.Detail], cancellationToken);
                return present ? null : new CredentialRevocation(CredentialRevocationKind.SecretDeleted, n.Realm, null, n.Detail);
            default:
                return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var notification in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                var revocation = await CheckWithRetriesAsync(notification, stoppingToken);
                if (revocation is not null) Raise(revocation);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<CredentialRevocation?> CheckWithRetriesAsync(ChangeNotification notification, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CheckAsync(notification, stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && attempt < MaxAttempts)
            {
                if (attempt == 1) LogCheckFailed(logger, e, notification.Table);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCheckAbandoned(logger, e, notification.Table);
                return null;
            }
        }
    }

    private async Task<T?> ScalarAsync<T>(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is null or DBNull ? default : (T)result;
    }

    private static bool IsSha256Hex(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigitLower);

    internal void Raise(CredentialRevocation revocation)
    {
        var handlers = Revoked;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<CredentialRevocation>>())
        {
            try
            {
                handler(revocation);
            }
            catch (Exception e)
            {
                LogHandlerFailed(logger, e, revocation.Kind);
            }
        }
    }

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "A credential revocation handler failed for {Kind}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, CredentialRevocationKind kind);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Revocation checks are arriving faster than they can be made; {Count} dropped so far (sessions of revoked users end at their next Refresh)")]
    private static partial void LogDropped(ILogger logger, long count);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Could not check a {Table} change against the database; retrying every second")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string table);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Error, Message = "Gave up checking a {Table} change against the database; no session was ended for it")]
    private static partial void LogCheckAbandoned(ILogger logger, Exception exception, string table);
}
