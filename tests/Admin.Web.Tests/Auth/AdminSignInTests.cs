using Admin.Data;
using Admin.Data.Administration;
using Admin.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Admin.Web.Tests.Auth;

/// <summary>
/// Admin.Data's account service with the portal's real hasher (PBKDF2, coturn's "$5$") and the lockout from
/// <see cref="LoginOptions"/> as configured.
/// </summary>
public sealed class AdminSignInTests : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private const int MaxFailures = 3;
    private static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(2);

    private readonly MigratedDatabase _database;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private ServiceProvider _services = null!;

    public AdminSignInTests(MigratedDatabase database) => _database = database;

    private AdminAccountAdministration Accounts => _services.GetRequiredService<AdminAccountAdministration>();

    private AdminLockoutPolicy Lockout => _services.GetRequiredService<IOptions<LoginOptions>>().Value.Lockout;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        var configuration = _database.Configuration(new Dictionary<string, string?>
        {
            ["Portal:Login:MaxFailedAttempts"] = MaxFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Portal:Login:LockoutDuration"] = LockoutDuration.ToString(),
        });
        services.AddSingleton(configuration);
        services.AddAdminData(configuration);
        services.AddOptions<LoginOptions>().BindConfiguration(LoginOptions.Section);
        services.AddSingleton<IAdminPasswordHasher, AdminPasswordHasher>();
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    // Each test uses its own admin names: the class shares one database.
    private static string NewName() => "a" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task SignIn_RightPassword_SucceedsAndStoresPbkdf2NotThePassword()
    {
        var name = NewName();
        await Accounts.AddAsync(name, "correct horse", null, AdminActor.System, CancellationToken.None);

        var result = await Accounts.SignInAsync(name, "correct horse", "127.0.0.1", Lockout, CancellationToken.None);

        Assert.Equal(LoginOutcome.Succeeded, result.Outcome);
        Assert.Equal(name, result.Admin!.Name);
        Assert.True(result.Admin.IsSuperuser);
        var stored = await StoredPasswordAsync(name);
        Assert.DoesNotContain("correct horse", stored);
        Assert.StartsWith("AQAAAA", stored); // PasswordHasher's version-3 format, base64
    }

    [Fact]
    public async Task SignIn_WrongPasswordOrUnknownName_IsInvalid()
    {
        var name = NewName();
        await Accounts.AddAsync(name, "correct horse", null, AdminActor.System, CancellationToken.None);

        Assert.Equal(LoginOutcome.Invalid, (await Accounts.SignInAsync(name, "wrong horse", null, Lockout, CancellationToken.None)).Outcome);
        Assert.Equal(LoginOutcome.Invalid, (await Accounts.SignInAsync(NewName(), "correct horse", null, Lockout, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task SignIn_TooManyFailures_LocksEvenTheRightPasswordUntilTheLockoutEnds()
    {
        var name = NewName();
        await Accounts.AddAsync(name, "correct horse", null, AdminActor.System, CancellationToken.None);

        for (var i = 1; i < MaxFailures; i++)
            Assert.Equal(LoginOutcome.Invalid, (await Accounts.SignInAsync(name, "wrong", null, Lockout, CancellationToken.None)).Outcome);
        Assert.Equal(LoginOutcome.LockedOut, (await Accounts.SignInAsync(name, "wrong", null, Lockout, CancellationToken.None)).Outcome);
        Assert.Equal(LoginOutcome.LockedOut, (await Accounts.SignInAsync(name, "correct horse", null, Lockout, CancellationToken.None)).Outcome);

        _time.Advance(LockoutDuration + TimeSpan.FromSeconds(1));

        Assert.Equal(LoginOutcome.Succeeded, (await Accounts.SignInAsync(name, "correct horse", null, Lockout, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task SignIn_SuccessBeforeTheLimit_ResetsTheFailureCount()
    {
        var name = NewName();
        await Accounts.AddAsync(name, "correct horse", null, AdminActor.System, CancellationToken.None);

        for (var i = 1; i < MaxFailures; i++) await Accounts.SignInAsync(name, "wrong", null, Lockout, CancellationToken.None);
        Assert.True((await Accounts.SignInAsync(name, "correct horse", null, Lockout, CancellationToken.None)).Succeeded);
        for (var i = 1; i < MaxFailures; i++) await Accounts.SignInAsync(name, "wrong", null, Lockout, CancellationToken.None);

        Assert.True((await Accounts.SignInAsync(name, "correct horse", null, Lockout, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task SignIn_CoturnSha256CryptHash_IsAcceptedAndRehashedToPbkdf2()
    {
        var name = NewName();
        // What coturn's turnadmin -A writes: a "$5$" SHA-256-crypt hash with 5000 rounds.
        var coturnHash = Sha256Crypt.Hash("turnadmin-pw", "$5$Zm9vYmFyYmF6");
        await using (var db = await _services.GetRequiredService<IDbContextFactory<AdminDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO admin_user (name, realm, password) VALUES ({name}, '', {coturnHash})");
        }

        var wrong = await Accounts.SignInAsync(name, "not-it", null, Lockout, CancellationToken.None);
        var right = await Accounts.SignInAsync(name, "turnadmin-pw", null, Lockout, CancellationToken.None);

        Assert.Equal(LoginOutcome.Invalid, wrong.Outcome);
        Assert.Equal(LoginOutcome.Succeeded, right.Outcome);
        var stored = await StoredPasswordAsync(name);
        Assert.False(Sha256Crypt.IsSha256Crypt(stored));
        Assert.StartsWith("AQAAAA", stored);
        Assert.True((await Accounts.SignInAsync(name, "turnadmin-pw", null, Lockout, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Add_Duplicate_IsRefusedAndKeepsTheFirstPassword()
    {
        var name = NewName();
        await Accounts.AddAsync(name, "first password", null, AdminActor.System, CancellationToken.None);

        var error = await Assert.ThrowsAsync<AdminOperationException>(
            () => Accounts.AddAsync(name, "second password", null, AdminActor.System, CancellationToken.None));

        Assert.Equal(AdminErrorCode.Duplicate, error.Code);
        Assert.True((await Accounts.SignInAsync(name, "first password", null, Lockout, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task SetPassword_ChangesIt_AndRealmAdminMayNotChangeAnother()
    {
        var name = NewName();
        await Accounts.AddAsync(name, "first password", null, AdminActor.System, CancellationToken.None);

        await Accounts.SetPasswordAsync(name, "second password", null, AdminActor.System, CancellationToken.None);
        var forbidden = await Assert.ThrowsAsync<AdminOperationException>(() =>
            Accounts.SetPasswordAsync(name, "third password", null, AdminActor.RealmAdmin("someone", "example.org", null), CancellationToken.None));

        Assert.Equal(AdminErrorCode.Forbidden, forbidden.Code);
        Assert.False((await Accounts.SignInAsync(name, "first password", null, Lockout, CancellationToken.None)).Succeeded);
        Assert.True((await Accounts.SignInAsync(name, "second password", null, Lockout, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Add_ShortPassword_IsInvalidInput()
    {
        var error = await Assert.ThrowsAsync<AdminOperationException>(
            () => Accounts.AddAsync(NewName(), "short", null, AdminActor.System, CancellationToken.None));

        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
        Assert.Equal("password", error.Field);
    }

    private async Task<string> StoredPasswordAsync(string name)
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<AdminDbContext>>().CreateDbContextAsync();
        return await db.AdminUsers.AsNoTracking().Where(a => a.Name == name).Select(a => a.Password!).SingleAsync();
    }
}
