using System.Collections.Concurrent;
using System.Security.Claims;
using Admin.Data.Administration;

namespace Admin.Web.Auth;

/// <summary>
/// Decides whether a signed-in admin's session still holds: the admin exists and the session stamp
/// (password hash and realm) is unchanged. Answers are cached briefly so a page's many requests
/// cost one database lookup, and a change takes effect within <see cref="CacheDuration"/>.
/// </summary>
public sealed class AdminSessionValidator(AdminAccountAdministration accounts, TimeProvider time)
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(10);

    // Bounded by the number of admins: keys are admin names that signed in successfully.
    private readonly ConcurrentDictionary<string, (string? Stamp, DateTimeOffset CheckedAt)> _stamps = new(StringComparer.Ordinal);

    public async Task<bool> IsValidAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var name = principal.Identity?.Name;
        var stamp = principal.FindFirst(AdminClaims.SessionStamp)?.Value;
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(stamp)) return false;

        var now = time.GetUtcNow();
        // A mismatch is re-checked rather than trusted from the cache: the admin may have just signed in again with
        // a new password (new stamp) while the old stamp is still cached.
        if (!_stamps.TryGetValue(name, out var cached) || now - cached.CheckedAt > CacheDuration
            || !string.Equals(cached.Stamp, stamp, StringComparison.Ordinal))
        {
            cached = (await accounts.GetSessionStampAsync(name, cancellationToken), now);
            _stamps[name] = cached;
        }
        return string.Equals(cached.Stamp, stamp, StringComparison.Ordinal);
    }

    /// <summary>Forgets the cached answer for an admin whose account just changed in this process.</summary>
    public void Forget(string name) => _stamps.TryRemove(name, out _);
}
