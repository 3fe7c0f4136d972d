namespace Turn.Relay.Redirects;

/// <summary>Relay:AlternateServers, checked at start by <see cref="RelayOptionsValidator"/>.</summary>
internal static class AlternateServerOptionsValidation
{
    public static void Validate(RelayOptions options, List<string> errors)
    {
        const string s = RelayOptions.SectionName;
        var seen = new HashSet<AlternateServerEntry>();
        for (var i = 0; i < options.AlternateServers.Count; i++)
        {
            var text = options.AlternateServers[i];
            if (!AlternateServerEntry.TryParse(text, out var entry))
                errors.Add($"{s}:AlternateServers:{i} '{text}' must be \"transport=ip:port\" with transport udp, tcp or tls and a port (IPv6 as [address]:port).");
            else if (entry.EndPoint.Address.Equals(System.Net.IPAddress.Any) || entry.EndPoint.Address.Equals(System.Net.IPAddress.IPv6Any))
                errors.Add($"{s}:AlternateServers:{i} '{text}' must name an address a client can reach, not a wildcard.");
            else if (!seen.Add(entry))
                errors.Add($"{s}:AlternateServers:{i} '{text}' is listed twice.");
        }
    }
}
