using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Turn.Relay.Redirects;

/// <summary>
/// The alternate servers of a relay-only host: Relay:AlternateServers, grouped by transport and address family and
/// handed out round-robin, so the clients of a draining node spread over the rest. Read once at start (the options are
/// validated then); `turnstone serve` registers the registry-backed directory instead.
/// </summary>
public sealed class ConfiguredAlternateServerDirectory : IAlternateServerDirectory
{
    private readonly FrozenDictionary<(RelayTransport, AddressFamily), IPEndPoint[]> _servers;
    private int _next;

    public ConfiguredAlternateServerDirectory(IOptions<RelayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entries = new List<AlternateServerEntry>();
        foreach (var text in options.Value.AlternateServers)
        {
            if (AlternateServerEntry.TryParse(text, out var entry)) entries.Add(entry);
        }
        _servers = entries
            .GroupBy(e => (e.Transport, e.EndPoint.AddressFamily))
            .ToFrozenDictionary(g => g.Key, g => g.Select(e => e.EndPoint).ToArray());
    }

    public bool TryGetAlternate(RelayTransport transport, AddressFamily family, out IPEndPoint alternate)
    {
        if (!_servers.TryGetValue((transport, family), out var servers))
        {
            alternate = null!;
            return false;
        }
        alternate = servers[(int)((uint)Interlocked.Increment(ref _next) % (uint)servers.Length)];
        return true;
    }
}
