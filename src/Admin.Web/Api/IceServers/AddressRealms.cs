using System.Net;
using Microsoft.Extensions.Options;
using Turn.Relay;

namespace Admin.Web.Api.IceServers;

/// <summary>
/// The relay's per-address realms (Relay:AddressRealms: a client that reaches one of these local addresses is
/// offered that realm), for the portal and for vended URLs. Entries are "address=realm" strings, split at the first
/// '=' as the relay does (a list, since IPv6 addresses hold ':', which configuration keys cannot).
/// </summary>
public sealed class AddressRealms(IOptions<RelayOptions> relay)
{
    /// <summary>(address, realm) pairs as configured; unparsable entries are left out (the relay's validation refuses them at start).</summary>
    public IReadOnlyList<(IPAddress Address, string Realm)> All
    {
        get
        {
            var pairs = new List<(IPAddress, string)>();
            foreach (var entry in relay.Value.AddressRealms)
            {
                var equals = entry.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0) continue;
                var realm = entry[(equals + 1)..].Trim();
                if (realm.Length > 0 && IPAddress.TryParse(entry[..equals].Trim(), out var parsed)) pairs.Add((parsed, realm));
            }
            return pairs;
        }
    }

    /// <summary>The addresses bound to <paramref name="realm"/>.</summary>
    public IReadOnlyList<IPAddress> For(string realm) =>
        All.Where(p => string.Equals(p.Realm, realm, StringComparison.Ordinal)).Select(p => p.Address).ToList();
}
