using System.Net;

namespace Admin.Web.Portal;

/// <summary>
/// Every way a client can reach one realm, as the relay chooses realms: RFC 8656 ORIGIN (origins), TLS SNI (host
/// names), the local address reached (Relay:AddressRealms), TURN REST usernames "expiry:user@realm" (any listener,
/// for a realm with a secret), or being Relay:DefaultRealm. Stored (long-term) users need the realm to be offered,
/// so a non-default realm with users needs an origin, a host name or an address; REST credentials name their realm.
/// </summary>
public sealed record RealmReach(
    string Realm, bool IsDefault, IReadOnlyList<string> Origins, IReadOnlyList<string> HostNames, IReadOnlyList<IPAddress> Addresses, long Users, int Secrets)
{
    /// <summary>True when the relay offers this realm to some client, so its stored users can sign in.</summary>
    public bool OfferedToSomeClient => IsDefault || Origins.Count > 0 || HostNames.Count > 0 || Addresses.Count > 0;

    /// <summary>Why some of the realm's credentials cannot work, or null.</summary>
    public string? Warning => Users > 0 && !OfferedToSomeClient
        ? $"Realm '{Realm}' has {Users:N0} stored user(s) but no way in: the relay never offers this realm, so their credentials fail. " +
          "Add a host name (TLS clients), an origin, or bind an address with Relay:AddressRealms" +
          (Secrets > 0 ? "; TURN REST credentials ('expiry:user@realm') keep working." : ".")
        : null;

    /// <summary>One short line per way in, for the pages.</summary>
    public IReadOnlyList<string> Ways
    {
        get
        {
            var ways = new List<string>();
            if (IsDefault) ways.Add("the default realm (Relay:DefaultRealm): offered to every client nothing else picks a realm for");
            ways.AddRange(HostNames.Select(h => $"host name {h} (TLS SNI; vended URLs)"));
            ways.AddRange(Origins.Select(o => $"origin {o} (ORIGIN attribute)"));
            ways.AddRange(Addresses.Select(a => $"address {a} (Relay:AddressRealms)"));
            if (Secrets > 0) ways.Add(IsDefault ? "TURN REST usernames 'expiry:user'" : $"TURN REST usernames 'expiry:user@{Realm}' on any listener");
            return ways;
        }
    }
}
