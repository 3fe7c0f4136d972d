using System.Net;
using System.Net.Sockets;
using Admin.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
