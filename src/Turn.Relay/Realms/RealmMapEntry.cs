namespace Turn.Relay.Realms;

/// <summary>
/// One "key=realm" entry of Relay:AddressRealms, Relay:OriginRealms or Relay:HostNameRealms. A list of such
/// strings rather than a configuration dictionary, because addresses (IPv6) and origins ("https://a:443")
/// contain ':', which .NET configuration reads as a section separator. Split at the first '=' (no address,
/// origin or host name contains one).
/// </summary>
internal static class RealmMapEntry
{
    public static bool TryParse(string? entry, out string key, out string realm)
    {
        key = "";
        realm = "";
        if (string.IsNullOrWhiteSpace(entry)) return false;
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == entry.Length - 1) return false;
        key = entry[..equals].Trim();
        realm = entry[(equals + 1)..].Trim();
        return key.Length > 0 && realm.Length > 0;
    }
}
