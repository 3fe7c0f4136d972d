using System.Net;
using Turn.Protocol;

namespace Turn.Relay.Realms;

/// <summary>
/// Relay:AddressRealms parsed once: the realm offered to clients that reached one of the server's own
/// addresses (IPv4-mapped IPv6 addresses match their IPv4 form). The options validator has checked every entry.
/// </summary>
internal sealed class AddressRealmMap
{
    private readonly Dictionary<TransportAddress, string> _realms = [];

    public AddressRealmMap(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            if (RealmMapEntry.TryParse(entry, out var address, out var realm) && IPAddress.TryParse(address, out var ip))
                _realms[TransportAddress.FromIPAddress(ip, 0).Canonicalize()] = realm;
        }
    }

    public int Count => _realms.Count;

    /// <summary>The realm bound to the local address <paramref name="local"/> (any port), or null.</summary>
    public string? Find(in TransportAddress local) =>
        _realms.Count == 0 ? null : _realms.GetValueOrDefault(local.WithPort(0).Canonicalize());
}
