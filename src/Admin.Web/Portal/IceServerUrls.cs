using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Turn.Relay;
using Turn.Relay.Hosting;

namespace Admin.Web.Portal;

/// <summary>
/// The turn:/turns: URLs of this server for ready-to-paste iceServers entries. Host: Portal:PublicHost, else
/// Relay:ExternalAddress, else the portal's own host name. Ports: those the relay's listeners actually bound
/// (so Relay:Port=0 works), else Relay:Port / Relay:TlsPort. turns: only when TLS is on.
/// </summary>
public sealed class IceServerUrls(IOptions<PortalOptions> portal, IOptions<RelayOptions> relay, RelayHostedService listeners)
{
    public IReadOnlyList<string> For(string portalHost)
    {
        var host = FormatHost(portal.Value.PublicHost is { Length: > 0 } configured ? configured
            : relay.Value.ExternalAddress is { Length: > 0 } external ? external
            : portalHost);
        var port = listeners.UdpEndPoints.FirstOrDefault()?.Port ?? listeners.TcpEndPoints.FirstOrDefault()?.Port ?? relay.Value.Port;
        var tlsPort = listeners.TlsEndPoints.FirstOrDefault()?.Port ?? relay.Value.TlsPort;
        var p = port.ToString(CultureInfo.InvariantCulture);
        var urls = new List<string> { $"turn:{host}:{p}?transport=udp", $"turn:{host}:{p}?transport=tcp" };
        if (tlsPort > 0) urls.Add($"turns:{host}:{tlsPort.ToString(CultureInfo.InvariantCulture)}?transport=tcp");
        return urls;
    }

    // IPv6 literals are bracketed in URIs (RFC 7064 section 3.1 uses RFC 3986's host syntax).
    private static string FormatHost(string host) =>
        host.Contains(':') && !host.StartsWith('[') && IPAddress.TryParse(host, out _) ? $"[{host}]" : host;
}
