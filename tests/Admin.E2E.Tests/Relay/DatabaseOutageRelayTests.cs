using System.Diagnostics;
using System.Diagnostics.Metrics;
using Admin.Data.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// The co-hosted relay (`turnstone serve`, its own database and relay ports) while PostgreSQL refuses and
/// drops every connection the app has (ALTER DATABASE ... ALLOW_CONNECTIONS false plus pg_terminate_backend, as
/// the live-sessions outage test does): users it already knew keep refreshing and allocating from the last-known-good
/// data, a user it never saw gets 500 without harm to the others, and a user deleted during the outage is refused
/// within a second of the database's return. In the relay collection so no other relay test competes for the CPU.
/// </summary>
[Collection(RelayCollection.Name)]
[Trait("Category", "E2E")]
public sealed class DatabaseOutageRelayTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Realm = CohostedRelayApp.Realm;
    private const string Password = "outage-Passw0rd";

    private readonly TestCertificateAuthority _authority = new();
    private CohostedRelayApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await CohostedRelayApp.StartAsync(_authority, allowLoopbackPeers: false, relayPorts: 300);
        await _app.Cli.RunOkAsync("realm", "add", "--realm", Realm);
        foreach (var user in new[] { "outage-amy", "outage-ben", "outage-cid" })
            await _app.Cli.RunOkAsync("user", "add", "--realm", Realm, "--user", user, "--password", Password);
    }

    [Fact]
    public async Task DatabaseDown_KnownUsersRefreshAndAllocate_UnknownGets500_DeletedMeanwhileRefusedWithinASecondOfReturn()
    {
        using var counts = new FallbackCounts(_app.Services.GetRequiredService<IMeterFactory>());
        // Known before the outage: amy holds an allocation, ben and cid allocated once.
        using var amy = new TurnProbe(_app.UdpEndPoint, Realm, "outage-amy", Password);
        Assert.Equal(0, await amy.AllocateAsync());
        Assert.Equal(0, await AllocateOnceAsync("outage-ben"));
        Assert.Equal(0, await AllocateOnceAsync("outage-cid"));

        var outage = _app.Services.GetRequiredService<DatabaseOutage>();
        var cache = _app.Services.GetRequiredService<CredentialCache>();
        // The test's own connection survives the outage, to delete a user while the relay cannot see the database.
        await using var keeper = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_app.Database.ConnectionString) { Pooling = false }.ConnectionString);
        await keeper.OpenAsync();
        await _app.Database.SetReachableAsync(false, keeper);
        Stopwatch returned;
        try
        {
            // The listener has lost its connection, so the fresh cache is gone: every lookup now needs the database.
            await Within.AssertAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(!cache.IsLive), "change listener noticed the outage");

            // Refreshes over a few probe intervals (each probe fails again) all succeed, none is 500.
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(0, await amy.RefreshAsync());
                await Task.Delay(DatabaseOutage.ProbeInterval / 2 + TimeSpan.FromMilliseconds(100));
            }
            Assert.True(outage.IsOngoing, "the store never saw the database fail");
            Assert.Equal(0, await AllocateOnceAsync("outage-ben"));
            Assert.Equal(500, await AllocateOnceAsync("outage-dan")); // never looked up: nothing to serve
            Assert.Equal(0, await amy.RefreshAsync());                // and the relay still serves the others

            await using var delete = new NpgsqlCommand("DELETE FROM turnusers_lt WHERE realm = $1 AND name = 'outage-cid'", keeper);
            delete.Parameters.Add(new NpgsqlParameter { Value = Realm });
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }
        finally
        {
            await _app.Database.SetReachableAsync(true);
            returned = Stopwatch.StartNew();
        }

        var refused = await Within.AssertAsync(Within.ASecond, async () => await AllocateOnceAsync("outage-cid", checkRelease: false) == 401, "user deleted during the outage refused");
        output.WriteLine($"deleted user refused {refused.TotalMilliseconds:F0} ms after the database returned ({returned.ElapsedMilliseconds} ms now)");
        Assert.False(outage.IsOngoing, "the outage did not end with a successful lookup");
        Assert.Equal(0, await amy.RefreshAsync(0));
        output.WriteLine($"fallback lookups: {counts.Served} served, {counts.Unavailable} unavailable");
        // amy's 5 Refreshes, ben's Allocate and Refresh (with the realm's and the global policy).
        Assert.True(counts.Served >= 7, $"only {counts.Served} lookups were served from last-known-good data");
        Assert.True(counts.Unavailable >= 1, "the unknown user's failed lookup was not counted");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _authority.Dispose();
    }

    // One Allocate from a fresh client; a success is deleted again at once (checked unless the user is being revoked:
    // then the Refresh may already be refused). Returns 0 or the error code.
    private async Task<int> AllocateOnceAsync(string user, bool checkRelease = true)
    {
        using var probe = new TurnProbe(_app.UdpEndPoint, Realm, user, Password);
        var code = await probe.AllocateAsync();
        if (code == 0)
        {
            var released = await probe.RefreshAsync(0);
            if (checkRelease) Assert.Equal(0, released);
        }
        return code;
    }

    // turnstone.credentials.fallback_lookups of this app's meter only (other apps in the test process have their own).
    private sealed class FallbackCounts : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _served;
        private long _unavailable;

        public FallbackCounts(IMeterFactory scope)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DatabaseOutage.MeterName && ReferenceEquals(instrument.Meter.Scope, scope)
                    && instrument.Name == "turnstone.credentials.fallback_lookups")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key != "outcome") continue;
                    if ((string?)tag.Value == "served") Interlocked.Add(ref _served, value);
                    else Interlocked.Add(ref _unavailable, value);
                }
            });
            _listener.Start();
        }

        public long Served => Interlocked.Read(ref _served);

        public long Unavailable => Interlocked.Read(ref _unavailable);

        public void Dispose() => _listener.Dispose();
    }
}
