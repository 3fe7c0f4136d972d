using System.Diagnostics;
using Admin.Data.Administration;
using Admin.Data.Realms;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;

namespace Admin.Data.Tests.Realms;

/// <summary>
/// The relay's realm directory over PostgreSQL: answers from its snapshot only, sees rows written by other processes
/// after a reload, sees this process's admin changes at once (the refresher runs in this fixture), and keeps its last
/// snapshot while the database is away.
/// </summary>
public sealed class PostgresRealmDirectoryTests(ListeningAdminDataFixture fixture) : IClassFixture<ListeningAdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private PostgresRealmDirectory Directory => fixture.Services.GetRequiredService<PostgresRealmDirectory>();

    [Fact]
    public void Registered_AsTheRelaysRealmDirectory()
    {
        Assert.Same(Directory, fixture.Services.GetRequiredService<IRealmDirectory>());
        Assert.True(Directory.RealmExists("turnstone")); // Relay:DefaultRealm's default, registered or not
    }

    [Fact]
    public async Task Reload_SeesRowsOtherProcessesWrote()
    {
        var realm = AdminDataFixture.NewRealm();
        var secretOnly = AdminDataFixture.NewRealm();
        var userOnly = AdminDataFixture.NewRealm();
        // As coturn's turnadmin writes them: canonical origin, a secret and a user in realms nobody registered.
        await fixture.ExecuteAsync("INSERT INTO turn_origin_to_realm (origin, realm) VALUES ($1, $2)", $"https://app.{realm}:443", realm);
        await fixture.ExecuteAsync("INSERT INTO turn_origin_to_realm (origin, realm) VALUES ($1, $2)", $"http://OLD.{realm}", realm);
        await fixture.ExecuteAsync("INSERT INTO turnstone_realm_host_name (host_name, realm) VALUES ($1, $2)", $"turn.{realm}", realm);
        await fixture.ExecuteAsync("INSERT INTO turn_secret (realm, value) VALUES ($1, 'shh')", secretOnly);
        await fixture.ExecuteAsync("INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, 'u', '00112233445566778899aabbccddeeff')", userOnly);

        await Directory.ReloadAsync(None);

        Assert.Equal(realm, Directory.FindRealmByOrigin($"https://APP.{realm}"));
        Assert.Equal(realm, Directory.FindRealmByOrigin($"https://app.{realm}:443"));
        Assert.Equal(realm, Directory.FindRealmByOrigin($"http://old.{realm}:80"));
        Assert.Null(Directory.FindRealmByOrigin($"https://app.{realm}:8443"));
        Assert.Null(Directory.FindRealmByOrigin("not an origin"));
        Assert.Equal(realm, Directory.FindRealmByHostName($"TURN.{realm}"));
        Assert.Equal(realm, Directory.FindRealmByHostName($"turn.{realm}."));
        Assert.Null(Directory.FindRealmByHostName($"other.{realm}"));
        Assert.Null(Directory.FindRealmByHostName(""));
        Assert.True(Directory.RealmExists(secretOnly));
        Assert.True(Directory.RealmExists(userOnly));
        Assert.False(Directory.RealmExists(AdminDataFixture.NewRealm()));
    }

    [Fact]
    public async Task AdminChange_SeenWithoutWaitingForTheInterval()
    {
        var realm = await fixture.AddRealmAsync();
        var entryPoints = fixture.Services.GetRequiredService<RealmEntryPoints>();

        await entryPoints.AddHostNameAsync(fixture.Superuser, realm, $"turn.{realm}", None);
        await fixture.Realms.AddOriginAsync(fixture.Superuser, realm, $"https://app.{realm}", None);

        // The interval is 2 s; the signal makes it well under that.
        var seen = await WaitAsync(() => Directory.FindRealmByHostName($"turn.{realm}") == realm && Directory.FindRealmByOrigin($"https://app.{realm}") == realm, TimeSpan.FromSeconds(1.5));
        Assert.True(seen, "The directory did not see this process's change within 1.5 s.");
        Assert.True(Directory.RealmExists(realm));

        await entryPoints.RemoveHostNameAsync(fixture.Superuser, realm, $"turn.{realm}", None);
        Assert.True(await WaitAsync(() => Directory.FindRealmByHostName($"turn.{realm}") is null, TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public async Task OtherProcessesChange_SeenWithinTheInterval()
    {
        var realm = AdminDataFixture.NewRealm();

        await fixture.ExecuteAsync("INSERT INTO turnstone_realm_host_name (host_name, realm) VALUES ($1, $2)", $"turn.{realm}", realm);

        Assert.True(await WaitAsync(() => Directory.FindRealmByHostName($"turn.{realm}") == realm, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task DatabaseAway_LastSnapshotKept()
    {
        var realm = AdminDataFixture.NewRealm();
        await fixture.ExecuteAsync("INSERT INTO turnstone_realm_host_name (host_name, realm) VALUES ($1, $2)", $"turn.{realm}", realm);
        await Directory.ReloadAsync(None);
        var before = Directory.Snapshot;

        await fixture.Database.SetReachableAsync(false);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Directory.ReloadAsync(None));
            Assert.Same(before, Directory.Snapshot);
            Assert.Equal(realm, Directory.FindRealmByHostName($"turn.{realm}"));
        }
        finally
        {
            await fixture.Database.SetReachableAsync(true);
        }
        Assert.True(await WaitAsync(() => Directory.Snapshot.LoadedAt > before.LoadedAt, TimeSpan.FromSeconds(10)));
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (condition()) return true;
            await Task.Delay(20);
        }
        return condition();
    }
}
