using Admin.Data;
using Admin.Data.Administration;
using Admin.Web.Auth;
using Admin.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Admin.Web.Tests.Auth;

/// <summary>The first start: an empty admin_user gets "admin", with a given or a generated password.</summary>
public sealed class AdminBootstrapperTests : IAsyncLifetime
{
    private readonly MigratedDatabase _database = new();
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("turnstone-bootstrap-").FullName;

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task EnsureAdmin_NoPasswordGiven_GeneratesOnePrintsItOnceAndWritesAnOwnerOnlyFile()
    {
        await using var services = Services(password: null);
        var bootstrapper = services.GetRequiredService<AdminBootstrapper>();
        using var console = new StringWriter();

        Assert.True(await bootstrapper.EnsureAdminAsync(console, CancellationToken.None));
        Assert.False(await bootstrapper.EnsureAdminAsync(console, CancellationToken.None));

        var file = Path.Combine(_dataDirectory, AdminBootstrapper.PasswordFileName);
        var password = (await File.ReadAllTextAsync(file)).Trim();
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.True(password.Length >= 20, password);
        Assert.Equal(2, console.ToString().Split(password).Length); // printed exactly once
        var signIn = await services.GetRequiredService<AdminAccountAdministration>().SignInAsync("admin", password, null, new LoginOptions().Lockout, CancellationToken.None);
        Assert.True(signIn.Succeeded);
        Assert.True(signIn.Admin!.IsSuperuser);
    }

    [Fact]
    public async Task EnsureAdmin_PasswordFromVariable_UsesItAndWritesNoFile()
    {
        await using var services = Services(password: "from-the-environment");
        using var console = new StringWriter();

        Assert.True(await services.GetRequiredService<AdminBootstrapper>().EnsureAdminAsync(console, CancellationToken.None));

        Assert.False(File.Exists(Path.Combine(_dataDirectory, AdminBootstrapper.PasswordFileName)));
        Assert.DoesNotContain("from-the-environment", console.ToString());
        Assert.True((await services.GetRequiredService<AdminAccountAdministration>().SignInAsync("admin", "from-the-environment", null, new LoginOptions().Lockout, CancellationToken.None)).Succeeded);
        // Audited as any admin added, by the system.
        var audit = await services.GetRequiredService<AuditLogQueries>().ListAsync(SuperuserReader, new AuditQuery(Action: "admin.add"), 0, 10, CancellationToken.None);
        var row = Assert.Single(audit.Items);
        Assert.Equal(("system", "admin", null), (row.Admin, row.Target, row.Realm));
        Assert.Equal("", System.Text.Json.JsonDocument.Parse(row.Details!).RootElement.GetProperty("realm").GetString());
    }

    private static readonly AdminActor SuperuserReader = new("auditor", null, null);

    private ServiceProvider Services(string? password)
    {
        var configuration = _database.Configuration(new Dictionary<string, string?>
        {
            [AdminBootstrapper.PasswordVariable] = password,
            ["Turnstone:DataDirectory"] = _dataDirectory,
        });
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddAdminData(configuration);
        services.AddOptions<LoginOptions>();
        services.AddOptions<TurnstoneOptions>().BindConfiguration(TurnstoneOptions.Section);
        services.AddSingleton<IAdminPasswordHasher, AdminPasswordHasher>();
        services.AddSingleton<AdminBootstrapper>();
        return services.BuildServiceProvider();
    }
}
