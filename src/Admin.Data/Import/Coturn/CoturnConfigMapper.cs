using System.Globalization;
using System.Net;
using Admin.Data.Administration;
using Turn.Protocol;

namespace Admin.Data.Import.Coturn;

/// <summary>
/// Maps turnserver.conf into the plan: relay settings (listening, relay and external addresses, ports, quotas, bit
/// rate, certificate, no-tls, loopback peers) for appsettings; the realm, static-auth-secret, user= lines and the
/// global peer rules for the database; every other option as covered (a note) or left out with its reason
/// (<see cref="CoturnOptionNotes"/>).
/// </summary>
public static class CoturnConfigMapper
{
    public static void Map(IReadOnlyList<CoturnConfigEntry> entries, CoturnImportPlan plan)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(plan);
        // The realm first: user= and static-auth-secret lines belong to it wherever they are in the file.
        var realmEntry = entries.FirstOrDefault(e => e.Name == "realm" && !string.IsNullOrEmpty(e.Value));
        if (realmEntry is not null)
        {
            var realm = realmEntry.Value!.ToLowerInvariant();
            if (AdminValidation.CheckRealm(realm) is { } error) plan.Skip($"realm {realmEntry.Value}", realmEntry.Source, error);
            else
            {
                plan.DefaultRealm = realm;
                plan.AddRealm(realm);
                plan.RelaySettings["DefaultRealm"] = realm;
            }
        }
        var listen = new List<string>();
        foreach (var entry in entries)
        {
            if (entry.Name == "realm")
            {
                if (entry != realmEntry) plan.Skip($"realm {entry.Value}", entry.Source, $"coturn's realm is one value; the first ({realmEntry?.Value}) is used. Further realms come from the database");
                continue;
            }
            MapEntry(entry, plan, listen);
        }
        if (listen.Count > 0) plan.RelaySettings["ListenAddresses"] = listen;
        if (!entries.Any(e => e.Name == "user-quota"))
            plan.Notes.Add("user-quota: coturn's default is 0 (unlimited); Turnstone's Relay:UserQuota default is 10 allocations per user (set 0 for coturn's behaviour)");
    }

    private static void MapEntry(CoturnConfigEntry entry, CoturnImportPlan plan, List<string> listen)
    {
        var value = entry.Value ?? "";
        switch (entry.Name)
        {
            case "listening-ip":
                if (IPAddress.TryParse(value, out _)) listen.Add(value);
                else plan.Skip($"listening-ip {value}", entry.Source, "not an IP address");
                break;
            case "relay-ip":
                if (!IPAddress.TryParse(value, out _)) plan.Skip($"relay-ip {value}", entry.Source, "not an IP address");
                else if (!plan.RelaySettings.TryAdd("RelayAddress", value))
                    plan.Skip($"relay-ip {value}", entry.Source, "Relay:RelayAddress is one address; the first relay-ip is used (leave it unset and each relay binds on the address its client reached, IPv4 or IPv6)");
                break;
            case "external-ip":
                MapExternalIp(entry, value, plan);
                break;
            case "listening-port": SetInt(plan, entry, "Port", 0, 65535); break;
            case "tls-listening-port": SetInt(plan, entry, "TlsPort", 0, 65535); break;
            case "min-port": SetInt(plan, entry, "MinPort", 1, 65535); break;
            case "max-port": SetInt(plan, entry, "MaxPort", 1, 65535); break;
            case "user-quota": SetInt(plan, entry, "UserQuota", 0, int.MaxValue); break;
            case "total-quota": SetInt(plan, entry, "TotalQuota", 0, int.MaxValue); break;
            case "max-bps":
                if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bps)) plan.RelaySettings["MaxBitsPerSecond"] = bps;
                else plan.Skip($"max-bps {value}", entry.Source, "not a whole number");
                break;
            case "cert": plan.RelaySettings["TlsCertificatePath"] = value; break;
            case "pkey": plan.RelaySettings["TlsKeyPath"] = value; break;
            case "no-tls": plan.RelaySettings["TlsPort"] = 0; break;
            case "allow-loopback-peers": plan.RelaySettings["AllowLoopbackPeers"] = true; break;
            case "no-software-attribute": plan.RelaySettings["Software"] = ""; break;
            case "denied-peer-ip":
            case "allowed-peer-ip":
                var kind = entry.Name == "allowed-peer-ip" ? PeerRuleKind.Allow : PeerRuleKind.Deny;
                if (AdminValidation.CheckPeerRange(value) is { } rangeError) plan.Skip($"{entry.Name} {value}", entry.Source, rangeError);
                else plan.AddPeerRule(new ImportedPeerRule("", kind, value, entry.Source));
                break;
            case "static-auth-secret":
                if (plan.DefaultRealm is null) plan.Skip("static-auth-secret", entry.Source, "no realm= line names the realm the secret belongs to");
                else if (AdminValidation.CheckSecret(value) is { } secretError) plan.Skip("static-auth-secret", entry.Source, secretError);
                else plan.AddSecret(new ImportedSecret(plan.DefaultRealm, value, entry.Source));
                break;
            case "user":
                MapUser(entry, value, plan);
                break;
            case "userdb":
            case "db":
                plan.Notes.Add($"{entry.Name}={value}: the SQLite user database; give it to the import with --db");
                break;
            default:
                if (CoturnOptionNotes.Covered.TryGetValue(entry.Name, out var note)) plan.Notes.Add($"{entry.Name}: {note}");
                else plan.Skip(entry.Name, entry.Source, CoturnOptionNotes.Unsupported.GetValueOrDefault(entry.Name, "no Turnstone equivalent"));
                break;
        }
    }

    // "public" or "public/private" (coturn's 1:1 NAT form): the public address is advertised, relay sockets bind to the private one.
    private static void MapExternalIp(CoturnConfigEntry entry, string value, CoturnImportPlan plan)
    {
        var parts = value.Split('/', 2);
        if (!IPAddress.TryParse(parts[0], out _) || (parts.Length == 2 && !IPAddress.TryParse(parts[1], out _)))
        {
            plan.Skip($"external-ip {value}", entry.Source, "expected 'public' or 'public/private' IP addresses");
            return;
        }
        if (!plan.RelaySettings.TryAdd("ExternalAddress", parts[0]))
        {
            plan.Skip($"external-ip {value}", entry.Source, "Turnstone advertises one external address (Relay:ExternalAddress); the first external-ip is used");
            return;
        }
        if (parts.Length == 2 && !plan.RelaySettings.TryAdd("RelayAddress", parts[1]) && !Equals(plan.RelaySettings["RelayAddress"], parts[1]))
            plan.Skip($"external-ip {value}", entry.Source, $"its private address differs from relay-ip {plan.RelaySettings["RelayAddress"]}, which is kept");
    }

    // user=name:password or user=name:0x<key> (coturn's -k output), in the realm= realm.
    private static void MapUser(CoturnConfigEntry entry, string value, CoturnImportPlan plan)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? value : value[..colon];
        if (colon < 0) { plan.Skip($"user {name}", entry.Source, "expected user=name:password or user=name:0xkey"); return; }
        if (plan.DefaultRealm is null) { plan.Skip($"user {name}", entry.Source, "no realm= line names the realm of user= lines"); return; }
        if (AdminValidation.CheckUserName(name) is { } nameError) { plan.Skip($"user {name}", entry.Source, nameError); return; }
        var secret = value[(colon + 1)..];
        string? key;
        if (secret.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            key = CoturnKey.ToMd5Key(secret, out var reason);
            if (key is null) { plan.Skip($"user {name}@{plan.DefaultRealm}", entry.Source, reason!); return; }
        }
        else if (AdminValidation.CheckPassword(secret) is { } passwordError) { plan.Skip($"user {name}", entry.Source, passwordError); return; }
        else key = LongTermKey.ComputeHex(name, plan.DefaultRealm, secret);
        plan.AddUser(new ImportedUser(plan.DefaultRealm, name, key, entry.Source));
    }

    private static void SetInt(CoturnImportPlan plan, CoturnConfigEntry entry, string key, int min, int max)
    {
        if (int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) plan.RelaySettings[key] = n;
        else plan.Skip($"{entry.Name} {entry.Value}", entry.Source, $"expected a whole number from {min} to {max}");
    }
}
