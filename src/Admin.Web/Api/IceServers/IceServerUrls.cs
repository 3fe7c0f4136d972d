using System.Net;
using System.Net.Sockets;
using Admin.Data.Administration;
using Microsoft.Extensions.Options;
using Turn.Relay;
using Turn.Relay.Seams;

namespace Admin.Web.Api.IceServers;

/// <summary>
/// The turn:/turns: URLs handed out with a realm's credentials. Host, in this order: the realm's host names (one
/// with a trusted certificate first), Api:IceServerHost, Relay:ExternalAddress, an address Relay:AddressRealms binds
/// to the realm, else the host the API request (or the portal page) was addressed to. A loopback host is only
/// handed out when the relay listens on loopback alone (a test or single-machine install), because no other
/// machine can use it. Ports: Api:IceServerPort/TlsPort, else the relay's (the bound ones when configured as 0,
/// read from the relay's <see cref="IRelayStatus"/>, absent in hosts without the relay). A turns: URL is added
/// only for a host a certificate that browsers accept is presented for (<see cref="TrustedCertificates"/>).
/// Refuses (<see cref="AdminErrorCode.Conflict"/>) rather than hand out URLs that cannot work.
/// </summary>
public sealed class IceServerUrls(
    IOptions<ApiOptions> api, IOptions<RelayOptions> relay, TrustedCertificates certificates, AddressRealms addressRealms, IRelayStatus? status = null)
{
    /// <param name="realm">The realm the credentials are for.</param>
    /// <param name="hostNames">The realm's host names (lower case, as stored).</param>
    /// <param name="requestHost">The host the caller reached this server on (the API request's, or the portal page's).</param>
    /// <param name="turns">True: a turns: URL is required (refused without a trusted certificate); false: none; null: when it works.</param>
    public IReadOnlyList<string> For(string realm, IReadOnlyList<string> hostNames, string requestHost, bool? turns = null)
    {
        ArgumentNullException.ThrowIfNull(hostNames);
        var options = api.Value;
        var port = options.IceServerPort ?? BoundPort(relay.Value.Port, s => s.UdpEndPoints);
        var tlsPort = options.IceServerTlsPort ?? BoundPort(relay.Value.TlsPort, s => s.TlsEndPoints);
        if (port == 0)
            throw Refused(realm, "The relay is not listening (no UDP/TCP port is bound), so no client can reach it. Try again once it has started.", "realm");

        string host;
        string? tlsHost;
        if (hostNames.Count > 0)
        {
            tlsHost = hostNames.FirstOrDefault(h => certificates.For(h) is not null);
            host = tlsHost ?? hostNames[0];
        }
        else
        {
            host = FirstNonEmpty(options.IceServerHost, relay.Value.ExternalAddress)
                ?? addressRealms.For(realm).Select(a => a.ToString()).FirstOrDefault()
                ?? requestHost;
            if (IsLoopback(host) && !ListensOnLoopbackOnly())
                throw Refused(realm,
                    $"Clients could only reach realm '{realm}' at '{host}', a loopback address of this machine. Add a host name to the realm, " +
                    "or set Api:IceServerHost (or Relay:ExternalAddress) to the relay's public name or address.", "realm");
            tlsHost = certificates.For(host) is not null ? host : null;
        }

        if (turns == true)
        {
            if (tlsPort == 0) throw Refused(realm, "TURN over TLS is off on this server (Relay:TlsPort is 0), so there is no turns: URL to give.", "turns");
            if (tlsHost is null)
                throw Refused(realm,
                    $"No certificate a browser accepts is presented for '{host}' (a generated self-signed certificate does not count), " +
                    "so a turns: URL would fail. Install a certificate for one of the realm's host names, or ask without turns.", "turns");
        }

        var formatted = FormatHost(host);
        var urls = new List<string> { $"turn:{formatted}:{port}?transport=udp", $"turn:{formatted}:{port}?transport=tcp" };
        if (turns != false && tlsPort != 0 && tlsHost is not null) urls.Add($"turns:{tlsHost}:{tlsPort}?transport=tcp");
        return urls;
    }

    // With Relay:Port 0 the OS picked the port; the running relay knows it. TLS port 0 means "off" and stays 0.
    private int BoundPort(int configured, Func<IRelayStatus, IReadOnlyList<IPEndPoint>> endPoints) =>
        configured != 0 || status is null ? configured : endPoints(status).Select(e => e.Port).FirstOrDefault();

    /// <summary>True when every address the relay listens on is a loopback address (configured that way, or bound so).</summary>
    private bool ListensOnLoopbackOnly()
    {
        var bound = status?.UdpEndPoints.Select(e => e.Address).ToList();
        if (bound is { Count: > 0 }) return bound.All(IPAddress.IsLoopback);
        var configured = relay.Value.ListenAddresses;
        return configured.Count > 0 && configured.All(a => IPAddress.TryParse(a, out var address) && IPAddress.IsLoopback(address));
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static AdminOperationException Refused(string realm, string message, string field) =>
        new(AdminErrorCode.Conflict, $"No usable TURN URL for realm '{realm}': {message}", field);

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static string FormatHost(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{address}]"
            : host;
}
