using Turn.Protocol;
using Turn.Relay.Seams;

namespace Admin.Web.Api.IceServers;

/// <summary>
/// TURN REST user names that carry their realm, so one listener serves every realm: "expiry:user@realm". The relay
/// takes the text after the last '@' as the realm when a realm of that name exists and signs with that realm's
/// secrets; otherwise the whole text is the user in the realm it offered. The default realm keeps coturn's plain
/// "expiry:user", unless the user itself ends in "@" plus an existing realm's name: then "@default" is added so the
/// relay does not take that suffix for the realm.
/// </summary>
public static class RealmRestUsername
{
    public const char RealmSeparator = '@';

    public static string Create(DateTimeOffset expiresAt, string user, string realm, string defaultRealm, IRealmDirectory? directory)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(realm);
        var withRealm = string.Equals(realm, defaultRealm, StringComparison.Ordinal) && !EndsInRealm(user, directory)
            ? user
            : user + RealmSeparator + realm;
        // An empty user keeps coturn's bare "expiry" only without a realm; with one it is "expiry:@realm".
        return TurnRestCredential.CreateUsername(expiresAt, withRealm);
    }

    private static bool EndsInRealm(string user, IRealmDirectory? directory)
    {
        var at = user.LastIndexOf(RealmSeparator);
        return at >= 0 && directory is not null && directory.RealmExists(user[(at + 1)..]);
    }
}
