using Admin.Data;
using Admin.Data.Administration;
using Admin.Web.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Admin.Web.Tests.Auth;

public sealed class AdminSessionValidatorTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ServiceProvider _services = null!;

    private AdminAccountAdministration Accounts => _services.GetRequiredService<AdminAccountAdministration>();

    private AdminSessionValidator Validator => _services.GetRequiredService<AdminSessionValidator>();

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        var configuration = database.Configuration();
        services.AddSingleton(configuration);
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddAdminData(configuration);
        services.AddOptions<LoginOptions>();
        services.AddSingleton<IAdminPasswordHasher, AdminPasswordHasher>();
        services.AddSingleton<AdminSessionValidator>();
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Session_AfterPasswordReset_IsNoLongerValid()
    {
        var name = "s" + Guid.NewGuid().ToString("N")[..10];
        await Accounts.AddAsync(name, "first password", null, AdminActor.System, CancellationToken.None);
        var principal = await SignInAsync(name, "first password");

        Assert.True(await Validator.IsValidAsync(principal, CancellationToken.None));

        await Accounts.SetPasswordAsync(name, "second password", null, AdminActor.System, CancellationToken.None);
        _time.Advance(AdminSessionValidator.CacheDuration + TimeSpan.FromSeconds(1));

        Assert.False(await Validator.IsValidAsync(principal, CancellationToken.None));
        Assert.True(await Validator.IsValidAsync(await SignInAsync(name, "second password"), CancellationToken.None));
    }

    [Fact]
    public async Task NewSignIn_RightAfterOwnPasswordChange_IsValidDespiteTheCachedOldStamp()
    {
        var name = "s" + Guid.NewGuid().ToString("N")[..10];
        await Accounts.AddAsync(name, "first password", null, AdminActor.System, CancellationToken.None);
        var old = await SignInAsync(name, "first password");
        Assert.True(await Validator.IsValidAsync(old, CancellationToken.None));

        // No time passes: the old stamp is still cached when the new session arrives.
        await Accounts.SetPasswordAsync(name, "second password", null, AdminActor.System, CancellationToken.None);
        var renewed = await SignInAsync(name, "second password");

        Assert.True(await Validator.IsValidAsync(renewed, CancellationToken.None));
        Assert.False(await Validator.IsValidAsync(old, CancellationToken.None));
    }

    [Fact]
    public async Task Session_AfterAdminDeleted_IsNoLongerValid()
    {
        var keeper = "k" + Guid.NewGuid().ToString("N")[..10];
        var name = "s" + Guid.NewGuid().ToString("N")[..10];
        await Accounts.AddAsync(keeper, "keeper password", null, AdminActor.System, CancellationToken.None);
        await Accounts.AddAsync(name, "first password", null, AdminActor.System, CancellationToken.None);
        var principal = await SignInAsync(name, "first password");
        Assert.True(await Validator.IsValidAsync(principal, CancellationToken.None));

        await Accounts.DeleteAsync(name, AdminActor.System, CancellationToken.None);
        _time.Advance(AdminSessionValidator.CacheDuration + TimeSpan.FromSeconds(1));

        Assert.False(await Validator.IsValidAsync(principal, CancellationToken.None));
    }

    [Fact]
    public async Task Session_WithoutStampClaim_IsNotValid()
    {
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "admin")], "test"));

        Assert.False(await Validator.IsValidAsync(principal, CancellationToken.None));
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> SignInAsync(string name, string password)
    {
        var result = await Accounts.SignInAsync(name, password, null, new LoginOptions().Lockout, CancellationToken.None);
        Assert.True(result.Succeeded);
        return AdminClaims.CreatePrincipal(result.Admin!, result.SessionStamp!, CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
