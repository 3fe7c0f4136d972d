using System.ComponentModel.DataAnnotations;
using Admin.Data.Administration;

namespace Admin.Web.Auth;

/// <summary>Portal sign-in settings (configuration section "Portal:Login").</summary>
public sealed class LoginOptions
{
    public const string Section = "Portal:Login";

    /// <summary>
    /// Failed sign-ins in a row that lock an account (default 5): slows guessing spread over many networks. The lock
    /// holds only for networks that failed a sign-in themselves within <see cref="LockoutDuration"/>, so it cannot keep
    /// the real admin out from another network (see <see cref="SignInThrottle"/>).
    /// </summary>
    [Range(1, 1000)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account refuses sign-ins from the failing networks, even with the right password (default 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Failed sign-ins one client network (an IPv4 /24 or IPv6 /64) may make in a row before it is refused without a
    /// password check (default 10). See <see cref="SignInThrottle"/>.
    /// </summary>
    [Range(1, 1000)]
    public int AddressBurst { get; set; } = 10;

    /// <summary>How often a throttled network gets one more try (default 30 seconds: 120 guesses an hour at most).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AddressRefillInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a sign-in lasts without activity (default 8 hours, sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The lockout settings as Admin.Data's sign-in takes them.</summary>
    public AdminLockoutPolicy Lockout => new(MaxFailedAttempts, LockoutDuration);
}
