using System.Net;

namespace Admin.Web.Api.IceServers;

/// <summary>
/// The relay's per-address realms (Relay:AddressRealms: a client that reaches one of these local addresses is
/// offered that realm), read from configuration for the portal and for vended URLs. Both shapes are read: a map
/// ("Relay:AddressRealms:192.0.2.10" = "tenant.example") and a list of { Address, Realm } (needed for IPv6
/// addresses, whose colons configuration keys cannot hold).
/// </summary>
public sealed class AddressRealms(IConfiguration configuration)
{
    public const string Section = "Relay:AddressRealms";

    /// <summary>(address, realm) pairs as configured; unparsable addresses are left out (the relay's validation reports them).</summary>
    public IReadOnlyList<(IPAddress Address, string Realm)> All
    {
        get
        {
            var pairs = new List<(IPAddress, string)>();
            foreach (var child in configuration.GetSection(Section).GetChildren())
            {
                var address = child["Address"] ?? child.Key;
                var realm = child["Realm"] ?? child.Value;
                if (!string.IsNullOrWhiteSpace(realm) && IPAddress.TryParse(address, out var parsed)) pairs.Add((parsed, realm));
            }
            return pairs;
        }
    }

    /// <summary>The addresses bound to <paramref name="realm"/>.</summary>
    public IReadOnlyList<IPAddress> For(string realm) =>
        All.Where(p => string.Equals(p.Realm, realm, StringComparison.Ordinal)).Select(p => p.Address).ToList();
}
