using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Realms;

/// <summary>
/// The realm directory of a relay-only host (no database): the realms are Relay:DefaultRealm, the realms of
/// Relay:Users, of Relay:RealmSharedSecrets and the targets of Relay:AddressRealms, Relay:OriginRealms and
/// Relay:HostNameRealms; origins and host names come from the last two. Registered with TryAdd, so a host
/// that registers its own <see cref="IRealmDirectory"/> (Admin.Data's, over PostgreSQL) replaces it.
/// Built once from validated options: every answer is a dictionary lookup.
/// </summary>
internal sealed class ConfiguredRealmDirectory : IRealmDirectory
{
    private readonly HashSet<string> _realms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _origins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hostNames = new(StringComparer.OrdinalIgnoreCase);

    public ConfiguredRealmDirectory(IOptions<RelayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _realms.Add(o.DefaultRealm);
        foreach (var user in o.Users) _realms.Add(string.IsNullOrEmpty(user.Realm) ? o.DefaultRealm : user.Realm);
        foreach (var realm in o.RealmSharedSecrets.Keys) _realms.Add(realm);
        foreach (var entry in o.AddressRealms)
        {
            if (RealmMapEntry.TryParse(entry, out _, out var realm)) _realms.Add(realm);
        }
        foreach (var entry in o.OriginRealms)
        {
            if (!RealmMapEntry.TryParse(entry, out var origin, out var realm)) continue;
            _origins[StunOrigin.Canonicalize(origin)] = realm;
            _realms.Add(realm);
        }
        foreach (var entry in o.HostNameRealms)
        {
            if (!RealmMapEntry.TryParse(entry, out var hostName, out var realm)) continue;
            _hostNames[NormalizeHostName(hostName)] = realm;
            _realms.Add(realm);
        }
    }

    /// <summary>Expects the canonical form (<see cref="StunOrigin.Canonicalize"/>), which the realm selector passes.</summary>
    public string? FindRealmByOrigin(string origin) => _origins.GetValueOrDefault(origin);

    public string? FindRealmByHostName(string hostName) => _hostNames.GetValueOrDefault(NormalizeHostName(hostName));

    public bool RealmExists(string realm) => _realms.Contains(realm);

    // A fully qualified name may end in a dot; SNI never carries one, configuration might.
    private static string NormalizeHostName(string hostName) => hostName.TrimEnd('.');
}
