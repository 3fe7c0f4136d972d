using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Auth;

/// <summary>
/// A TURN REST user name that may carry its realm: <c>&lt;expiry&gt;:&lt;user&gt;@&lt;realm&gt;</c>. The realm is the text
/// after the LAST '@' of the user part, and counts only when <see cref="IRealmDirectory.RealmExists"/> says so;
/// otherwise the whole user part is the user and the offered realm applies (coturn's plain <c>expiry:user</c>,
/// and user parts that are e-mail addresses, keep working).
/// </summary>
internal readonly record struct TurnRestUser(DateTimeOffset ExpiresAt, string UserPart, string? Realm)
{
    /// <summary>False when <paramref name="username"/> is not "expiry[:user]" (then it is a stored user's name).</summary>
    public static bool TryParse(string username, IRealmDirectory realms, out TurnRestUser parsed)
    {
        ArgumentNullException.ThrowIfNull(realms);
        parsed = default;
        if (!TurnRestCredential.TryParseUsername(username, out var expiresAt, out var user)) return false;
        var at = user.LastIndexOf('@');
        if (at >= 0 && at < user.Length - 1 && realms.RealmExists(user[(at + 1)..]))
            parsed = new TurnRestUser(expiresAt, user[..at], user[(at + 1)..]);
        else
            parsed = new TurnRestUser(expiresAt, user, null);
        return true;
    }
}
