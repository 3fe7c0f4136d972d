using System.Net;

namespace Turn.Relay.Realms;

/// <summary>
/// The realm-selection keys of <see cref="RelayOptions"/> (Relay:AddressRealms, Relay:OriginRealms,
/// Relay:HostNameRealms, Relay:RealmSharedSecrets), checked at start by <see cref="RelayOptionsValidator"/>.
/// </summary>
internal static class RealmOptionsValidation
{
    // RFC 8489 section 14.9: REALM < 128 characters.
    private const int MaxRealmCharacters = 127;

    public static void Validate(RelayOptions options, List<string> errors)
    {
        const string s = RelayOptions.SectionName;
        var addresses = new HashSet<IPAddress>();
        for (var i = 0; i < options.AddressRealms.Count; i++)
        {
            var key = $"{s}:AddressRealms:{i}";
            if (!RealmMapEntry.TryParse(options.AddressRealms[i], out var address, out var realm))
                errors.Add($"{key} '{options.AddressRealms[i]}' must be \"address=realm\".");
            else if (!IPAddress.TryParse(address, out var ip))
                errors.Add($"{key}: '{address}' is not an IP address.");
            else if (!addresses.Add(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip))
                errors.Add($"{key}: the address {address} is listed twice.");
            else
                CheckRealm(key, realm, errors);
        }
        CheckMap(options.OriginRealms, $"{s}:OriginRealms", "origin", StringComparer.OrdinalIgnoreCase, errors);
        CheckMap(options.HostNameRealms, $"{s}:HostNameRealms", "host", StringComparer.OrdinalIgnoreCase, errors);
        foreach (var (realm, secrets) in options.RealmSharedSecrets)
        {
            CheckRealm($"{s}:RealmSharedSecrets:{realm}", realm, errors);
            if (secrets.Count == 0 || secrets.Any(string.IsNullOrEmpty))
                errors.Add($"{s}:RealmSharedSecrets:{realm} must list one or more non-empty secrets.");
        }
    }

    private static void CheckMap(List<string> entries, string name, string what, StringComparer comparer, List<string> errors)
    {
        var seen = new HashSet<string>(comparer);
        for (var i = 0; i < entries.Count; i++)
        {
            var key = $"{name}:{i}";
            if (!RealmMapEntry.TryParse(entries[i], out var value, out var realm))
                errors.Add($"{key} '{entries[i]}' must be \"{what}=realm\".");
            else if (!seen.Add(value))
                errors.Add($"{key}: '{value}' is listed twice.");
            else
                CheckRealm(key, realm, errors);
        }
    }

    private static void CheckRealm(string key, string realm, List<string> errors)
    {
        if (realm.Length > MaxRealmCharacters) errors.Add($"{key}: the realm must be under 128 characters (RFC 8489 section 14.9).");
        if (realm.Any(c => char.IsControl(c))) errors.Add($"{key}: the realm must not contain control characters.");
    }
}
