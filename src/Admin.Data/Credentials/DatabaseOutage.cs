using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Admin.Data.Credentials;

/// <summary>
/// Runs the credential and policy stores' database reads and, when one fails because PostgreSQL cannot be reached
/// (a connection-level error, not a programming error), answers from the last-known-good data instead
/// (AdminData:OutageFallbackMaxAge; 00:00:00 turns that off). While an outage lasts, lookups skip the database and
/// use that data, except one probe at a time at most twice a second, so a black-holed network does not make every
/// request wait for a connection timeout and the database's return is seen within half a second. Logs when an
/// outage starts and ends (never per request) and counts fallback lookups on meter "Turnstone.Data"
/// (<c>turnstone.credentials.fallback_lookups</c> by <c>lookup</c> and <c>outcome</c>; never a user or realm).
/// </summary>
public sealed partial class DatabaseOutage : IDisposable
{
    public const string MeterName = "Turnstone.Data";

    /// <summary>
    /// During an outage, how often one lookup tries the database again: well under a second, so a user deleted while
    /// the relay could not see the database is refused within a second of its return.
    /// </summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly NpgsqlDataSource? _dataSource;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _lookups;
    private readonly long _probeTicks;
    private long _since;          // timestamp the current outage started; 0 = none
    private long _lastFailure;    // timestamp of the last connection-level failure in this outage
    private int _probing;         // 1 while one lookup is trying the database during an outage
    private long _served;
    private long _unavailable;

    /// <param name="meterFactory">The host's; without one (a bare service collection) the meter is made here.</param>
    /// <param name="dataSource">The stores' data source, whose idle connections are dropped on a connection failure.</param>
    public DatabaseOutage(IOptions<AdminDataOptions> options, TimeProvider time, ILogger<DatabaseOutage> logger, IMeterFactory? meterFactory = null,
        NpgsqlDataSource? dataSource = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        MaxAge = options.Value.OutageFallbackMaxAge;
        MaxAgeTicks = Ticks(MaxAge);
        PruneIntervalTicks = Ticks(PruneInterval);
        _probeTicks = Ticks(ProbeInterval);
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _lookups = _meter.CreateCounter<long>("turnstone.credentials.fallback_lookups", "{lookup}",
            "Credential and policy lookups PostgreSQL could not answer, by lookup (user, userhash, secrets, policy) and outcome (served from last-known-good data, or unavailable: answered with an error).");
        // Every series from 0 at start, so an alert's increase() sees the first fallback of an outage.
        foreach (var lookup in new[] { "user", "userhash", "secrets", "policy" })
        {
            _lookups.Add(0, new KeyValuePair<string, object?>("lookup", lookup), new KeyValuePair<string, object?>("outcome", "served"));
            _lookups.Add(0, new KeyValuePair<string, object?>("lookup", lookup), new KeyValuePair<string, object?>("outcome", "unavailable"));
        }
    }

    /// <summary>Oldest last-known-good answer that may be served; zero = never.</summary>
    public TimeSpan MaxAge { get; }

    /// <summary>True from a connection-level failure until a lookup reaches the database again.</summary>
    public bool IsOngoing => Interlocked.Read(ref _since) != 0;

    internal long MaxAgeTicks { get; }

    /// <summary>The meter the counter lives on (tests listen to this instance only).</summary>
    internal Meter Meter => _meter;

    internal long PruneIntervalTicks { get; }

    internal long Now => _time.GetTimestamp();

    /// <summary>
    /// Reads through <paramref name="read"/>; if the database cannot be reached (or is being skipped during an
    /// outage), answers from <paramref name="lastKnown"/>, else throws (the engine answers 500).
    /// </summary>
    internal async ValueTask<T> ReadAsync<T>(string lookup, Func<CancellationToken, ValueTask<T>> read, LastKnownLookup<T> lastKnown, CancellationToken cancellationToken)
    {
        var probe = false;
        if (MaxAgeTicks > 0 && IsOngoing)
        {
            if (!TryClaimProbe()) return ServeOrThrow(lookup, lastKnown, null);
            probe = true;
        }
        try
        {
            var value = await read(cancellationToken).ConfigureAwait(false);
            Reached();
            return value;
        }
        catch (Exception e) when (IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            Failed(e);
            return ServeOrThrow(lookup, lastKnown, e);
        }
        finally
        {
            if (probe) Volatile.Write(ref _probing, 0);
        }
    }

    /// <summary>
    /// True for failures that say the database cannot be reached or cannot take work now (socket, timeout, I/O,
    /// connection and shutdown SQLSTATEs, Npgsql's transient errors); false for programming errors (bad SQL, casts).
    /// </summary>
    public static bool IsConnectionFailure(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.IsTransient
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)    // connection exception
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)   // shutdown, terminated, cannot connect now, database dropped
            || postgres.SqlState == "3D000",                                   // database does not exist (dropped or not yet restored)
        NpgsqlException npgsql => npgsql.IsTransient || (npgsql.InnerException is { } inner && IsConnectionFailure(inner)),
        SocketException or TimeoutException or IOException => true,
        DatabaseUnavailableException => true,
        _ => false,
    };

    public void Dispose() => _meter.Dispose();

    private T ServeOrThrow<T>(string lookup, LastKnownLookup<T> lastKnown, Exception? failure)
    {
        if (MaxAgeTicks > 0 && lastKnown(out var value))
        {
            Interlocked.Increment(ref _served);
            _lookups.Add(1, new KeyValuePair<string, object?>("lookup", lookup), new KeyValuePair<string, object?>("outcome", "served"));
            return value;
        }
        Interlocked.Increment(ref _unavailable);
        _lookups.Add(1, new KeyValuePair<string, object?>("lookup", lookup), new KeyValuePair<string, object?>("outcome", "unavailable"));
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        throw new DatabaseUnavailableException($"PostgreSQL cannot be reached and there is no last-known-good {lookup} answer for this lookup.", null);
    }

    // One lookup at a time, at most once per ProbeInterval, tries the database during an outage.
    private bool TryClaimProbe()
    {
        if (Now - Interlocked.Read(ref _lastFailure) < _probeTicks) return false;
        return Interlocked.CompareExchange(ref _probing, 1, 0) == 0;
    }

    private void Failed(Exception e)
    {
        // The pool's idle connections are most likely dead too (a restarted or partitioned server): drop them, so the
        // first lookup after the database returns opens a new connection instead of failing on an old one.
        _dataSource?.Clear();
        var now = Now;
        Interlocked.Exchange(ref _lastFailure, now);
        if (Interlocked.CompareExchange(ref _since, now, 0) != 0) return;
        Interlocked.Exchange(ref _served, 0);
        Interlocked.Exchange(ref _unavailable, 0);
        if (MaxAgeTicks > 0) LogOutageStarted(_logger, e.GetType().Name, e.Message, MaxAge);
        else LogOutageStartedNoFallback(_logger, e.GetType().Name, e.Message);
    }

    /// <summary>The database answered (a lookup, or the change listener connected): ends an outage, logging it once.</summary>
    internal void Reached()
    {
        var since = Interlocked.Read(ref _since);
        if (since == 0 || Interlocked.CompareExchange(ref _since, 0, since) != since) return;
        LogOutageEnded(_logger, _time.GetElapsedTime(since).TotalSeconds, Interlocked.Read(ref _served), Interlocked.Read(ref _unavailable));
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning,
        Message = "PostgreSQL cannot be reached for credential and policy lookups ({ErrorType}: {Error}); known users, secrets and policies are served from last-known-good data up to {MaxAge} old, other lookups get 500")]
    private static partial void LogOutageStarted(ILogger logger, string errorType, string error, TimeSpan maxAge);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning,
        Message = "PostgreSQL cannot be reached for credential and policy lookups ({ErrorType}: {Error}); AdminData:OutageFallbackMaxAge is 0, so authenticated requests get 500 until it is back")]
    private static partial void LogOutageStartedNoFallback(ILogger logger, string errorType, string error);

    [LoggerMessage(EventId = 2113, Level = LogLevel.Information,
        Message = "PostgreSQL answers credential and policy lookups again after {Seconds:F1} s; {Served} lookups were served from last-known-good data, {Unavailable} could not be answered")]
    private static partial void LogOutageEnded(ILogger logger, double seconds, long served, long unavailable);
}
