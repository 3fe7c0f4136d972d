using System.Diagnostics.CodeAnalysis;
using System.Net;
using Turn.Relay.Seams;

namespace Turn.Relay.Redirects;

/// <summary>One Relay:AlternateServers entry: "transport=ip:port" (udp, tcp or tls; IPv6 in brackets).</summary>
internal sealed record AlternateServerEntry(RelayTransport Transport, IPEndPoint EndPoint)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out AlternateServerEntry? entry)
    {
        entry = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) return false;
        RelayTransport? transport = text[..equals].Trim().ToLowerInvariant() switch
        {
            "udp" => RelayTransport.Udp,
            "tcp" => RelayTransport.Tcp,
            "tls" => RelayTransport.Tls,
            _ => null,
        };
        // A port is required: an alternate without one would be sent as port 0.
        if (transport is not { } known || !IPEndPoint.TryParse(text[(equals + 1)..].Trim(), out var endPoint) || endPoint.Port == 0) return false;
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        entry = new AlternateServerEntry(known, new IPEndPoint(address, endPoint.Port));
        return true;
    }
}
