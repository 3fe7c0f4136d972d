using System.Globalization;
using Admin.Data.Administration;
using Admin.Data.Entities;
using Admin.Data.Realms;

namespace Admin.Data.Import.Coturn;

/// <summary>
/// Maps coturn's SQLite rows into the plan, checking each the way the admin services check input. coturn's tables are
/// Turnstone's own (same names and columns), so a row maps to a row; what differs: rows of realm "" (coturn's
/// default realm) go to turnserver.conf's realm, keys must be MD5, admin passwords must be "$5$" hashes.
/// </summary>
public static class CoturnDatabaseMapper
{
    public static void Map(CoturnDatabaseContent content, CoturnImportPlan plan)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var row in content.Users) MapUser(row, plan);
        foreach (var row in content.Secrets)
        {
            if (Realm(row, row[0], plan, "secret") is not { } realm) continue;
            if (AdminValidation.CheckSecret(row[1]) is { } error) plan.Skip("secret", row.Source, error);
            else plan.AddSecret(new ImportedSecret(realm, row[1]!, row.Source));
        }
        foreach (var row in content.RealmOptions) MapOption(row, plan);
        foreach (var row in content.Origins)
        {
            var origin = row[0] ?? "";
            if (AdminValidation.CheckOrigin(origin) is { } error) { plan.Skip($"origin {origin}", row.Source, error); continue; }
            if (Realm(row, row[1], plan, $"origin {origin}") is not { } realm) continue;
            plan.AddOrigin(new ImportedOrigin(OriginSyntax.Canonicalize(origin)!, realm, row.Source));
        }
        foreach (var row in content.AllowedPeers) MapPeer(row, PeerRuleKind.Allow, plan);
        foreach (var row in content.DeniedPeers) MapPeer(row, PeerRuleKind.Deny, plan);
        foreach (var row in content.Admins) MapAdmin(row, plan);
        foreach (var row in content.OAuthKeys)
            plan.Skip($"oauth key {row[0]}", row.Source, "third-party authorization (RFC 7635) is not supported");
        foreach (var table in content.MissingTables) plan.Notes.Add($"the coturn database has no {table} table (an older coturn); nothing to import from it");
    }

    private static void MapUser(CoturnRow row, CoturnImportPlan plan)
    {
        var name = row[1] ?? "";
        if (Realm(row, row[0], plan, $"user {name}") is not { } realm) return;
        if (AdminValidation.CheckUserName(name) is { } nameError) { plan.Skip($"user {name}@{realm}", row.Source, nameError); return; }
        var key = CoturnKey.ToMd5Key(row[2], out var reason);
        if (key is null) plan.Skip($"user {name}@{realm}", row.Source, reason!);
        else plan.AddUser(new ImportedUser(realm, name, key, row.Source));
    }

    private static void MapOption(CoturnRow row, CoturnImportPlan plan)
    {
        var opt = row[1] ?? "";
        var value = row[2] ?? "";
        if (string.IsNullOrEmpty(row[0]))
        {
            var setting = opt switch { RealmOption.UserQuota => "Relay:UserQuota", RealmOption.TotalQuota => "Relay:TotalQuota", _ => "Relay:MaxBitsPerSecond" };
            plan.Skip($"{opt} {value} (no realm)", row.Source, $"a server-wide value: set {setting} in appsettings instead");
            return;
        }
        if (Realm(row, row[0], plan, $"{opt} {value}") is not { } realm) return;
        if (opt is not (RealmOption.UserQuota or RealmOption.TotalQuota or RealmOption.MaxBps))
        {
            plan.Skip($"{opt} of realm {realm}", row.Source, "coturn's realm options are user-quota, total-quota and max-bps only");
            return;
        }
        // coturn reads the value with atoi; Turnstone stores whole numbers only.
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || (opt != RealmOption.MaxBps && number > int.MaxValue))
        {
            plan.Skip($"{opt} {value} of realm {realm}", row.Source, "not a whole number");
            return;
        }
        plan.AddRealmOption(new ImportedRealmOption(realm, opt, number.ToString(CultureInfo.InvariantCulture), row.Source));
    }

    private static void MapPeer(CoturnRow row, PeerRuleKind kind, CoturnImportPlan plan)
    {
        var range = row[1] ?? "";
        var what = $"{(kind == PeerRuleKind.Allow ? "allowed" : "denied")}-peer-ip {range}";
        var realm = row[0] ?? "";
        // Realm "" is global in coturn as in Turnstone.
        if (realm.Length > 0 && AdminValidation.CheckRealm(realm) is { } realmError) { plan.Skip(what, row.Source, realmError); return; }
        if (AdminValidation.CheckPeerRange(range) is { } error) plan.Skip(what, row.Source, error);
        else plan.AddPeerRule(new ImportedPeerRule(realm, kind, range, row.Source));
    }

    private static void MapAdmin(CoturnRow row, CoturnImportPlan plan)
    {
        var name = row[0] ?? "";
        var realm = row[1] ?? "";
        var password = row[2] ?? "";
        if (name.Length is 0 or > AdminAccountAdministration.MaxNameLength || name.Any(char.IsControl))
            plan.Skip($"admin {name}", row.Source, $"an admin name is 1 to {AdminAccountAdministration.MaxNameLength} characters without control characters");
        else if (realm.Length > 0 && AdminValidation.CheckRealm(realm) is { } realmError) plan.Skip($"admin {name}", row.Source, realmError);
        else if (!password.StartsWith("$5$", StringComparison.Ordinal))
            plan.Skip($"admin {name}", row.Source, "only coturn's \"$5$\" SHA-256 crypt hashes (turnadmin -A, -P) can be checked; add the admin with 'turnstone admin add'");
        else plan.AddAdmin(new ImportedAdmin(name, realm, password, row.Source));
    }

    // coturn's realm "" means its default realm (turnserver.conf's realm=).
    private static string? Realm(CoturnRow row, string? stored, CoturnImportPlan plan, string what)
    {
        var realm = string.IsNullOrEmpty(stored) ? plan.DefaultRealm : stored;
        if (realm is null)
        {
            plan.Skip(what, row.Source, "the row has no realm and no turnserver.conf realm= was given (--config)");
            return null;
        }
        if (AdminValidation.CheckRealm(realm) is { } error)
        {
            plan.Skip(what, row.Source, error);
            return null;
        }
        return realm;
    }
}
