using Admin.Data;
using Admin.Data.Administration;
using Admin.Data.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Turnstone.TestSupport;

namespace Admin.Data.Tests;

/// <summary>
/// A fresh migrated database per test class with the services AddAdminData registers. The change listener
/// runs only when the class asks for it. Tests use their own realm names, so none sees another's rows.
/// </summary>
public class AdminDataFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    protected virtual bool StartChangeListener => false;

    /// <summary>Configuration beyond the connection string (e.g. small cache bounds).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public ServiceProvider Services { get; private set; } = null!;

    public string ConnectionString => _database!.ConnectionString;

    /// <summary>The database itself (to take it away from the services and give it back).</summary>
    public TestDatabase Database => _database!;

    public AdminActor Superuser { get; } = AdminActor.Superuser("alice", "192.0.2.7");

    public UserAdministration Users => Services.GetRequiredService<UserAdministration>();

    public RealmAdministration Realms => Services.GetRequiredService<RealmAdministration>();

    public SecretAdministration Secrets => Services.GetRequiredService<SecretAdministration>();

    public PeerRuleAdministration PeerRules => Services.GetRequiredService<PeerRuleAdministration>();

    public AdminAccountAdministration Admins => Services.GetRequiredService<AdminAccountAdministration>();

    public ApiTokenAdministration Tokens => Services.GetRequiredService<ApiTokenAdministration>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Services = BuildServices(_database.ConnectionString, Settings);
        await Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        if (StartChangeListener)
        {
            foreach (var hosted in Services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        if (StartChangeListener)
        {
            foreach (var hosted in Services.GetServices<IHostedService>()) await hosted.StopAsync(CancellationToken.None);
        }
        await Services.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    public static ServiceProvider BuildServices(string connectionString, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Admin"] = connectionString };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddAdminData(configuration);
        // The host's part: Admin.Web registers its PBKDF2 hasher.
        services.AddSingleton<IAdminPasswordHasher, TestPasswordHasher>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A realm name no other test uses.</summary>
    public static string NewRealm() => "r" + Guid.NewGuid().ToString("N")[..12] + ".example.org";

    public async Task<string> AddRealmAsync()
    {
        var realm = NewRealm();
        await Realms.AddAsync(Superuser, realm, "test realm", CancellationToken.None);
        return realm;
    }

    /// <summary>Runs SQL on a separate connection (as another process, e.g. coturn's tools, would).</summary>
    public async Task<int> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task<long> AuditCountAsync() => await ScalarAsync<long>("SELECT count(*) FROM turnstone_audit_log");

    public CredentialCache Cache => Services.GetRequiredService<CredentialCache>();
}

/// <summary>The same, with the change listener running.</summary>
public sealed class ListeningAdminDataFixture : AdminDataFixture
{
    protected override bool StartChangeListener => true;
}
