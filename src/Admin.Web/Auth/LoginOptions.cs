using System.ComponentModel.DataAnnotations;
using Admin.Data.Administration;

namespace Admin.Web.Auth;

/// <summary>Portal sign-in settings (configuration section "Portal:Login").</summary>
public sealed class LoginOptions
{
    public const string Section = "Portal:Login";

    /// <summary>Failed sign-ins in a row that lock an account (default 5): slows password guessing.</summary>
    [Range(1, 1000)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account refuses every sign-in, even with the right password (default 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a sign-in lasts without activity (default 8 hours, sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The lockout settings as Admin.Data's sign-in takes them.</summary>
    public AdminLockoutPolicy Lockout => new(MaxFailedAttempts, LockoutDuration);
}
