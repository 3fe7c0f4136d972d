using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Admin.Data.Credentials;
using Admin.Data.Tests.Credentials;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Turn.Relay.Seams;

namespace Admin.Data.Tests;

/// <summary>
/// The outage fallback on fake time: last-known-good answers are served only when the database cannot be reached,
/// never beyond AdminData:OutageFallbackMaxAge, never after a revocation, never when the option is 0, and never for
/// programming errors; during an outage the database is probed at most once a second.
/// </summary>
public sealed class DatabaseOutageTests : IDisposable
{
    private static readonly byte[] Key = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    private static readonly RealmPolicy Policy = new(2, null, null, ["10.0.0.0/8"], []);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _counted = [];
    private DatabaseOutage _outage = null!;
    private CredentialCache _cache = null!;
    private int _reads;

    public DatabaseOutageTests() => Start(TimeSpan.FromHours(1));

    [Fact]
    public async Task ConnectionFailure_ServesLastKnownKey_AfterTheListenerFlushedTheCache()
    {
        Remember("r", "alice", Key);
        _cache.SetLive(false); // the listener lost its connection: the fresh cache is gone

        Assert.Same(Key, await LookupUserAsync("r", "alice", Unreachable));

        Assert.True(_outage.IsOngoing);
        Assert.Equal(1, Counted("user", "served"));
    }

    [Fact]
    public async Task UserHash_DuringOutage_ResolvedFromTheRememberedUsersOfThatRealm()
    {
        Remember("r", "alice", Key);
        Remember("other", "bob", Key);
        _cache.SetLive(false);
        // The store, with a data source nothing listens on: every read is a connection failure.
        await using var nowhere = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Timeout=2;Pooling=false");
        var store = new PostgresCredentialStore(nowhere, _cache, _outage);

        Assert.Equal("alice", await store.FindUserNameByHashAsync("r", Turn.Protocol.UserHash.Compute("alice", "r"), None));
        Assert.True(_outage.IsOngoing);
        Assert.Equal(1, Counted("userhash", "served"));
        // Another realm's user, or a hash nobody remembered: nothing to fall back on (the engine answers 500).
        _time.Advance(DatabaseOutage.ProbeInterval);
        await Assert.ThrowsAsync<NpgsqlException>(() => store.FindUserNameByHashAsync("r", Turn.Protocol.UserHash.Compute("bob", "other"), None).AsTask());
        await Assert.ThrowsAsync<DatabaseUnavailableException>(() => store.FindUserNameByHashAsync("r", new byte[32], None).AsTask());
        Assert.Equal(2, Counted("userhash", "unavailable"));
    }

    [Fact]
    public async Task SecretsAndPolicy_AlsoServedFromLastKnown()
    {
        _cache.StoreSecrets("r", ["s1", "s2"], _cache.BeginLoad());
        _cache.StorePolicy("r", Policy, _cache.BeginLoad());
        _cache.SetLive(false);

        var secrets = await _outage.ReadAsync<IReadOnlyList<string>>("secrets", _ => throw UnreachableError(),
            (out IReadOnlyList<string> s) => _cache.TryGetLastKnownSecrets("r", out s), None);
        var policy = await _outage.ReadAsync<RealmPolicy>("policy", _ => throw UnreachableError(),
            (out RealmPolicy p) => _cache.TryGetLastKnownPolicy("r", out p), None);

        Assert.Equal(["s1", "s2"], secrets);
        Assert.Same(Policy, policy);
    }

    [Fact]
    public async Task OlderThanMaxAge_IsNotServed()
    {
        Remember("r", "alice", Key);
        _cache.SetLive(false);
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Same(Key, await LookupUserAsync("r", "alice", Unreachable));

        _time.Advance(TimeSpan.FromMinutes(1));

        await Assert.ThrowsAsync<NpgsqlException>(() => LookupUserAsync("r", "alice", Unreachable));
        Assert.Equal(1, Counted("user", "unavailable"));
    }

    [Theory]
    [InlineData('D')] // deleted
    [InlineData('R')] // disabled
    [InlineData('U')] // new password
    [InlineData('T')] // truncated
    public async Task RevokedByNotification_IsNeverServed(char op)
    {
        Remember("r", "alice", Key);

        _cache.Apply(op == 'T' ? Payload.Of("turnusers_lt", 'T') : Payload.User(op, "r", "alice"));
        _cache.SetLive(false);

        await Assert.ThrowsAsync<NpgsqlException>(() => LookupUserAsync("r", "alice", Unreachable));
    }

    [Fact]
    public void DeletedSecret_IsNeverServed_AndOtherRealmsKeepTheirs()
    {
        _cache.StoreSecrets("r", ["doomed"], _cache.BeginLoad());
        _cache.StoreSecrets("other", ["kept"], _cache.BeginLoad());

        _cache.Apply(Payload.Secret('D', "r", "abcd"));

        Assert.False(_cache.TryGetLastKnownSecrets("r", out _));
        Assert.True(_cache.TryGetLastKnownSecrets("other", out var kept));
        Assert.Equal(["kept"], kept);
    }

    [Fact]
    public async Task LaterNegativeAnswer_ForgetsTheKey()
    {
        Remember("r", "alice", Key);
        // Read again with the listener down (no notification): the database now says unknown or disabled.
        _cache.SetLive(false);
        Assert.Null(await LookupUserAsync("r", "alice", () => null));

        await Assert.ThrowsAsync<NpgsqlException>(() => LookupUserAsync("r", "alice", Unreachable));
    }

    [Fact]
    public void ReadThatRacedWithANotification_IsNotRemembered()
    {
        var generation = _cache.BeginLoad();
        _cache.Apply(Payload.User('D', "r", "alice")); // deleted while the lookup read the old row

        _cache.StoreUser("r", "alice", Key, generation);

        Assert.False(_cache.TryGetLastKnownUser("r", "alice", out _));
    }

    [Fact]
    public async Task OptionZero_NeverServes()
    {
        Start(TimeSpan.Zero);
        Remember("r", "alice", Key);
        _cache.SetLive(false);

        await Assert.ThrowsAsync<NpgsqlException>(() => LookupUserAsync("r", "alice", Unreachable));
        // Nor does it skip the database during the outage: every lookup tries.
        await Assert.ThrowsAsync<NpgsqlException>(() => LookupUserAsync("r", "alice", Unreachable));
        Assert.Equal(2, _reads);
        Assert.Equal(0, _cache.LastKnownCount);
    }

    [Fact]
    public async Task ProgrammingError_IsNotAnOutage()
    {
        Remember("r", "alice", Key);
        _cache.SetLive(false);

        await Assert.ThrowsAsync<PostgresException>(() => LookupUserAsync("r", "alice", () => throw new PostgresException("relation does not exist", "ERROR", "ERROR", "42P01")));
        await Assert.ThrowsAsync<InvalidCastException>(() => LookupUserAsync("r", "alice", () => throw new InvalidCastException()));

        Assert.False(_outage.IsOngoing);
        Assert.Equal(0, Counted("user", "served"));
    }

    [Fact]
    public async Task UnknownUser_DuringOutage_ThrowsAndIsCounted()
    {
        await Assert.ThrowsAsync<NpgsqlException>(() => LookupUserAsync("r", "stranger", Unreachable));
        // Within the probe interval the database is not tried again: the lookup fails fast.
        await Assert.ThrowsAsync<DatabaseUnavailableException>(() => LookupUserAsync("r", "stranger", Unreachable));

        Assert.Equal(1, _reads);
        Assert.Equal(2, Counted("user", "unavailable"));
    }

    [Fact]
    public async Task DuringOutage_DatabaseProbedOncePerSecond_AndSuccessEndsTheOutage()
    {
        Remember("r", "alice", Key);
        _cache.SetLive(false);
        Assert.Same(Key, await LookupUserAsync("r", "alice", Unreachable));
        Assert.Equal(1, _reads);

        for (var i = 0; i < 5; i++) Assert.Same(Key, await LookupUserAsync("r", "alice", Unreachable));
        Assert.Equal(1, _reads);

        _time.Advance(DatabaseOutage.ProbeInterval);
        var other = new byte[16];
        Assert.Same(other, await LookupUserAsync("r", "alice", () => other));

        Assert.Equal(2, _reads);
        Assert.False(_outage.IsOngoing);
        Assert.Equal(6, Counted("user", "served"));
        // Back to normal: the next lookup reads the database again.
        Assert.Same(other, await LookupUserAsync("r", "alice", () => other));
        Assert.Equal(3, _reads);
    }

    [Fact]
    public void Bounded_NewKeysWaitUntilOldEntriesExpire()
    {
        Start(TimeSpan.FromHours(1), maxEntries: 100);
        for (var i = 0; i < 100; i++) Remember("r", $"u{i}", Key);

        Remember("r", "late", Key);
        Assert.False(_cache.TryGetLastKnownUser("r", "late", out _));
        Assert.True(_cache.TryGetLastKnownUser("r", "u0", out _));
        _time.Advance(TimeSpan.FromMinutes(30));
        Remember("r", "u0", Key); // known keys are still updated

        _time.Advance(TimeSpan.FromMinutes(30));
        Remember("r", "late", Key);

        Assert.True(_cache.TryGetLastKnownUser("r", "late", out _));
        Assert.True(_cache.TryGetLastKnownUser("r", "u0", out _));
        Assert.False(_cache.TryGetLastKnownUser("r", "u1", out _));
        Assert.Equal(2, _cache.LastKnownCount);
    }

    [Theory]
    [InlineData("00:00:00", true)]
    [InlineData("00:00:01", true)]
    [InlineData("7.00:00:00", true)]
    [InlineData("00:00:00.5", false)]
    [InlineData("-00:00:01", false)]
    [InlineData("8.00:00:00", false)]
    public void Option_Validated(string value, bool valid)
    {
        var error = new AdminDataOptions { OutageFallbackMaxAge = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) }.Validate();

        if (valid) Assert.Null(error);
        else Assert.Contains("AdminData:OutageFallbackMaxAge", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsConnectionFailure_SortsConnectionErrorsFromProgrammingErrors()
    {
        Assert.True(DatabaseOutage.IsConnectionFailure(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(DatabaseOutage.IsConnectionFailure(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.True(DatabaseOutage.IsConnectionFailure(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01")));
        Assert.True(DatabaseOutage.IsConnectionFailure(new PostgresException("database is not currently accepting connections", "FATAL", "FATAL", "55000")));
        Assert.True(DatabaseOutage.IsConnectionFailure(new PostgresException("connection failure", "FATAL", "FATAL", "08006")));
        Assert.False(DatabaseOutage.IsConnectionFailure(new PostgresException("syntax error", "ERROR", "ERROR", "42601")));
        Assert.False(DatabaseOutage.IsConnectionFailure(new NpgsqlException("protocol confusion")));
        Assert.False(DatabaseOutage.IsConnectionFailure(new InvalidOperationException()));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _outage.Dispose();
    }

    private void Start(TimeSpan maxAge, int maxEntries = 1000)
    {
        _outage?.Dispose();
        var options = Options.Create(new AdminDataOptions { OutageFallbackMaxAge = maxAge, CacheMaxEntries = maxEntries });
        _outage = new DatabaseOutage(options, _time, NullLogger<DatabaseOutage>.Instance);
        _cache = new CredentialCache(options, _time, _outage, NullLogger<CredentialCache>.Instance);
        _cache.SetLive(true);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _outage.Meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? lookup = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "lookup") lookup = tag.Value as string;
                if (tag.Key == "outcome") outcome = tag.Value as string;
            }
            lock (_counted) _counted[$"{lookup}/{outcome}"] = _counted.GetValueOrDefault($"{lookup}/{outcome}") + value;
        });
        _listener.Start();
    }

    private long Counted(string lookup, string outcome)
    {
        lock (_counted) return _counted.GetValueOrDefault($"{lookup}/{outcome}");
    }

    // As the store does after reading the database successfully.
    private void Remember(string realm, string name, byte[]? key) => _cache.StoreUser(realm, name, key, _cache.BeginLoad());

    // The store's path for one cache miss, with the database read replaced by read (which may throw).
    private async Task<byte[]?> LookupUserAsync(string realm, string name, Func<byte[]?> read) =>
        await _outage.ReadAsync("user", _ =>
            {
                _reads++;
                var generation = _cache.BeginLoad();
                var key = read();
                _cache.StoreUser(realm, name, key, generation);
                return ValueTask.FromResult(key);
            },
            (out byte[]? key) => _cache.TryGetLastKnownUser(realm, name, out key), None);

    private static byte[]? Unreachable() => throw UnreachableError();

    private static NpgsqlException UnreachableError() =>
        new("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
}
