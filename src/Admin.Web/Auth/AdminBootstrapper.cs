using System.Security.Cryptography;
using Admin.Data.Administration;
using Admin.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Admin.Web.Auth;

/// <summary>
/// Creates the first admin ("admin", superuser) when admin_user is empty, so a fresh install can be
/// signed in to. The password comes from TURNSTONE_ADMIN_PASSWORD, or is generated, printed once
/// and written to {DataDirectory}/admin-password (mode 0600).
/// </summary>
public sealed partial class AdminBootstrapper(
    AdminAccountAdministration accounts,
    IConfiguration configuration,
    IOptions<TurnstoneOptions> options,
    ILogger<AdminBootstrapper> logger)
{
    public const string AdminName = "admin";
    public const string PasswordVariable = "TURNSTONE_ADMIN_PASSWORD";
    public const string PasswordFileName = "admin-password";

    /// <summary>Where the generated password goes.</summary>
    public string PasswordFile => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), PasswordFileName);

    /// <returns>True when an admin was created.</returns>
    public async Task<bool> EnsureAdminAsync(TextWriter console, CancellationToken cancellationToken)
    {
        if (await accounts.AnyAsync(cancellationToken)) return false;

        var given = configuration[PasswordVariable];
        var password = string.IsNullOrEmpty(given) ? GeneratePassword() : given;
        try
        {
            // False: another instance sharing the database bootstrapped at the same moment.
            if (!await accounts.AddFirstAsync(AdminName, password, cancellationToken)) return false;
        }
        catch (AdminOperationException e) when (e.Code == AdminErrorCode.InvalidInput && !string.IsNullOrEmpty(given))
        {
            throw new InvalidOperationException($"{PasswordVariable} is not usable as the admin password: {e.Message}", e);
        }

        if (!string.IsNullOrEmpty(given))
        {
            LogCreatedFromVariable(logger, AdminName, PasswordVariable);
            return true;
        }

        var file = PasswordFile;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        WriteOwnerOnly(file, password + "\n");
        // Printed to the console rather than logged: log pipelines ship elsewhere and keep copies.
        await console.WriteLineAsync(
            $"Created the first portal admin '{AdminName}' with password: {password}{Environment.NewLine}" +
            $"(also written to {file}; change it after signing in)");
        await console.FlushAsync(cancellationToken);
        LogCreatedGenerated(logger, AdminName, file);
        return true;
    }

    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    private static void WriteOwnerOnly(string path, string content)
    {
        var streamOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, streamOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }
        // UnixCreateMode applies only to new files: tighten a file left from an earlier install too.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Created the first portal admin '{Name}' with the password from {Variable}")]
    private static partial void LogCreatedFromVariable(ILogger logger, string name, string variable);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Created the first portal admin '{Name}' with a generated password (written to {File})")]
    private static partial void LogCreatedGenerated(ILogger logger, string name, string file);
}
