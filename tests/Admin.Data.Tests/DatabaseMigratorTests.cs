using System.Net;
using System.Net.Sockets;
using Admin.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Turnstone.TestSupport;

namespace Admin.Data.Tests;

public sealed class DatabaseMigratorTests
{
    private const string Password = "Pa55-never-shown";

    [Fact]
    public async Task Migrate_NothingListening_ClearErrorWithTargetAndWithoutPassword()
    {
        var port = UnusedPort();
        await using var services = AdminDataFixture.BuildServices(
            $"Host=127.0.0.1;Port={port};Database=turnstone_down;Username=turnstone;Password={Password};Timeout=3");

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(
            () => services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None));

        Assert.Contains("127.0.0.1", error.Message);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Contains("turnstone_down", error.Message);
        Assert.DoesNotContain(Password, error.ToString());
    }

    [Fact]
    public async Task Migrate_WrongPassword_ClearErrorWithoutPassword()
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Password = Password, Database = "postgres" };
        await using var services = AdminDataFixture.BuildServices(server.ConnectionString);

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(
            () => services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None));

        Assert.Contains($"port {server.Port}", error.Message);
        Assert.Contains("database postgres", error.Message);
        Assert.DoesNotContain(Password, error.ToString());
    }

    [Fact]
    public async Task FirstMigrate_OnAnEmptyDatabase_LogsNoErrors()
    {
        // EF Core reads __EFMigrationsHistory before creating it and logs that failed query as an Error; an
        // operator's first start must not show errors for what is normal.
        await using var database = await TestDatabase.CreateAsync();
        var errors = new ErrorCollector();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Admin"] = database.ConnectionString }).Build();
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(errors));
        collection.AddAdminData(configuration);
        await using var services = collection.BuildServiceProvider();
        var migrator = services.GetRequiredService<DatabaseMigrator>();

        var pendingBefore = await migrator.GetPendingMigrationsAsync(CancellationToken.None);
        var applied = await migrator.MigrateAsync(CancellationToken.None);

        Assert.NotEmpty(pendingBefore);
        Assert.Equal(pendingBefore, applied);
        Assert.Empty(await migrator.GetPendingMigrationsAsync(CancellationToken.None));
        Assert.True(errors.Messages.IsEmpty, string.Join("\n", errors.Messages));
    }

    [Fact]
    public async Task UpToDateCheck_KnowsTheMigrationsEfCoreKnows_AndTellsAMissingOneToEfCore()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var services = AdminDataFixture.BuildServices(database.ConnectionString);
        var migrator = services.GetRequiredService<DatabaseMigrator>();
        await using (var context = await services.GetRequiredService<IDbContextFactory<AdminDbContext>>().CreateDbContextAsync())
            Assert.Equal(context.Database.GetMigrations().Order(StringComparer.Ordinal), DatabaseMigrator.KnownMigrationIds);
        Assert.NotEmpty(await migrator.MigrateAsync(CancellationToken.None));
        Assert.Empty(await migrator.MigrateAsync(CancellationToken.None));

        // A database one release behind (the newest migration rolled back): not up to date; EF Core applies that one.
        var newest = DatabaseMigrator.KnownMigrationIds[^1];
        await using (var context = await services.GetRequiredService<IDbContextFactory<AdminDbContext>>().CreateDbContextAsync())
            await context.GetService<IMigrator>().MigrateAsync(DatabaseMigrator.KnownMigrationIds[^2]);
        Assert.Equal([newest], await migrator.GetPendingMigrationsAsync(CancellationToken.None));
        Assert.Equal([newest], await migrator.MigrateAsync(CancellationToken.None));
        Assert.Empty(await migrator.GetPendingMigrationsAsync(CancellationToken.None));
    }

    private sealed class ErrorCollector : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error) Messages.Enqueue($"{logLevel} {eventId}: {formatter(state, exception)}");
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void AddAdminData_NoConnectionString_NamesTheSetting()
    {
        var configuration = new ConfigurationBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddAdminData(configuration));

        Assert.Contains("ConnectionStrings:Admin", error.Message);
        Assert.Contains("ConnectionStrings__Admin", error.Message);
    }

    [Fact]
    public void Options_Invalid_MessageNamesKey()
    {
        using var services = AdminDataFixture.BuildServices("Host=127.0.0.1", new Dictionary<string, string?> { ["AdminData:CacheMaxEntries"] = "5" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminDataOptions>>().Value);

        Assert.Contains("AdminData:CacheMaxEntries", error.Message);
    }

    [Fact]
    public void DatabaseTarget_Describe_OmitsPassword()
    {
        var text = DatabaseTarget.Describe($"Host=db.example;Port=6543;Database=turn;Username=u;Password={Password}");

        Assert.Equal("host db.example, port 6543, database turn, user u", text);
    }

    private static int UnusedPort()
    {
        // Bind and release: nothing listens there afterwards, so a connection is refused at once.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
