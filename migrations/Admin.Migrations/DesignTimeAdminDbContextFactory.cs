using Admin.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Admin.Migrations;

/// <summary>
/// Lets dotnet-ef build the model without the app's host. Reads the connection string from
/// TURNSTONE_MIGRATIONS_PG; the default points at a local server and is only used by commands that
/// touch a database (adding a migration or generating the script does not connect).
/// </summary>
public sealed class DesignTimeAdminDbContextFactory : IDesignTimeDbContextFactory<AdminDbContext>
{
    public const string ConnectionVariable = "TURNSTONE_MIGRATIONS_PG";

    public AdminDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value
            ? value
            : "Host=127.0.0.1;Port=5432;Database=turnstone;Username=turnstone";
        var options = new DbContextOptionsBuilder<AdminDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(AdminDbContext.MigrationsAssembly))
            .Options;
        return new AdminDbContext(options);
    }
}
