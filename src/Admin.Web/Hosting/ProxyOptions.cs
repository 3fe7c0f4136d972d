using System.Net;

namespace Admin.Web.Hosting;

/// <summary>
/// The reverse proxy in front of the portal (configuration section "Portal:Proxy"). Off by default: X-Forwarded-For
/// and X-Forwarded-Proto are then ignored, since anyone can send them. When a proxy is named, those headers are
/// taken from it only (one hop), so the client's address is what the sign-in throttle and audit see, and a request
/// the proxy received over HTTPS counts as HTTPS (Secure cookies).
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Portal:Proxy";

    /// <summary>Addresses of the proxies whose forwarded headers are trusted (e.g. 127.0.0.1, or the proxy container's address).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 172.16.0.0/12) whose forwarded headers are trusted, for proxies without a fixed address.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>True when any proxy or network is named.</summary>
    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>Null when valid, else a message naming the bad key.</summary>
    internal string? Validate()
    {
        foreach (var proxy in KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _)) return $"{Section}:{nameof(KnownProxies)} must hold IP addresses (is '{proxy}').";
        }
        foreach (var network in KnownNetworks)
        {
            if (!System.Net.IPNetwork.TryParse(network, out _)) return $"{Section}:{nameof(KnownNetworks)} must hold CIDR networks such as 10.0.0.0/8 (is '{network}').";
        }
        return null;
    }
}
