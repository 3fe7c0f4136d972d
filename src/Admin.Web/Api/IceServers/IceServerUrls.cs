using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Turn.Relay;
using Turn.Relay.Seams;

namespace Admin.Web.Api.IceServers;

/// <summary>
/// The turn:/turns: URLs handed out with credentials: host from Api:IceServerHost, else Relay:ExternalAddress,
/// else the host the API request (or the portal page) was addressed to; ports from Api:IceServerPort/TlsPort, else the relay's
/// (the bound ones when configured as 0, read from the relay's <see cref="IRelayStatus"/>, absent in hosts without the relay).
/// </summary>
public sealed class IceServerUrls(IOptions<ApiOptions> api, IOptions<RelayOptions> relay, IRelayStatus? status = null)
{
    public IReadOnlyList<string> For(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return For(request.Host.Host);
    }

    /// <param name="requestHost">The host the caller reached this server on (the API request's, or the portal page's).</param>
    public IReadOnlyList<string> For(string requestHost)
    {
        var options = api.Value;
        var host = FormatHost(FirstNonEmpty(options.IceServerHost, relay.Value.ExternalAddress) ?? requestHost);
        var port = options.IceServerPort ?? BoundPort(relay.Value.Port, s => s.UdpEndPoints);
        var tlsPort = options.IceServerTlsPort ?? BoundPort(relay.Value.TlsPort, s => s.TlsEndPoints);
        var urls = new List<string> { $"turn:{host}:{port}?transport=udp", $"turn:{host}:{port}?transport=tcp" };
        if (tlsPort != 0) urls.Add($"turns:{host}:{tlsPort}?transport=tcp");
        return urls;
    }

    // With Relay:Port 0 the OS picked the port; the running relay knows it. TLS port 0 means "off" and stays 0.
    private int BoundPort(int configured, Func<IRelayStatus, IReadOnlyList<IPEndPoint>> endPoints) =>
        configured != 0 || status is null ? configured : endPoints(status).Select(e => e.Port).FirstOrDefault();

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static string FormatHost(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{address}]"
            : host;
}
