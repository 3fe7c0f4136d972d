using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.Options;

namespace Turn.Relay.Policy;

/// <summary>
/// The relay's own addresses and listener ports, so a client cannot bounce through a relay socket back into the relay
/// (its listeners, or relay ports nobody holds). Own addresses: each bound listener's address, every interface address
/// when a listener is bound to a wildcard, and Relay:RelayAddress and Relay:ExternalAddress (behind a NAT that hairpins,
/// the public address reaches the host too). Read on the control path only (CreatePermission, ChannelBind); the answer
/// is a snapshot rebuilt at most every <see cref="RefreshInterval"/>, so interfaces are not listed per request.
/// </summary>
internal sealed class RelaySelfAddresses
{
    /// <summary>How long a snapshot of the addresses is used before it is read again.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    private readonly Func<IReadOnlyList<IPEndPoint>> _listeners;
    private readonly Func<IEnumerable<IPAddress>> _interfaceAddresses;
    private readonly IPAddress[] _configured;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private Snapshot _snapshot = new([], [], long.MinValue);

    /// <param name="listeners">The bound listener endpoints (UDP, TCP, TLS), read when a snapshot is made.</param>
    /// <param name="interfaceAddresses">The host's addresses (for wildcard listeners); null = the network interfaces'.</param>
    public RelaySelfAddresses(IOptions<RelayOptions> options, TimeProvider time, Func<IReadOnlyList<IPEndPoint>> listeners,
        Func<IEnumerable<IPAddress>>? interfaceAddresses = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _configured = [.. new[] { settings.RelayAddress, settings.ExternalAddress }
            .Where(a => !string.IsNullOrWhiteSpace(a) && IPAddress.TryParse(a, out _)).Select(a => IPAddress.Parse(a!))];
        _time = time;
        _listeners = listeners;
        _interfaceAddresses = interfaceAddresses ?? InterfaceAddresses;
    }

    /// <summary>True when the (canonical) address is one of the relay's own.</summary>
    public bool IsOwnAddress(IpAddressBits address) => Current().Addresses.Contains(address);

    /// <summary>True when the port is one a relay listener is bound to (on every own address: a listener may be a wildcard).</summary>
    public bool IsListenerPort(int port) => Array.IndexOf(Current().ListenerPorts, port) >= 0;

    /// <summary>As <see cref="IsListenerPort"/> from the last snapshot, never refreshing it: for the data path (no lock, no allocation).</summary>
    public bool WasListenerPort(int port) => Array.IndexOf(Volatile.Read(ref _snapshot).ListenerPorts, port) >= 0;

    /// <summary>The own addresses and listener ports as they are now, for operators to see.</summary>
    public (IReadOnlyList<IPAddress> Addresses, IReadOnlyList<int> ListenerPorts) Describe()
    {
        var snapshot = Current();
        return ([.. snapshot.Addresses.Select(a => a.ToIPAddress())], snapshot.ListenerPorts);
    }

    private Snapshot Current()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var now = _time.GetTimestamp();
        if (IsFresh(snapshot, now)) return snapshot;
        lock (_lock)
        {
            snapshot = _snapshot;
            if (IsFresh(snapshot, now)) return snapshot;
            snapshot = Take(now);
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
    }

    private bool IsFresh(Snapshot snapshot, long now) =>
        snapshot.TakenAt != long.MinValue && now - snapshot.TakenAt < (long)(RefreshInterval.TotalSeconds * _time.TimestampFrequency);

    private Snapshot Take(long now)
    {
        var listeners = _listeners();
        var addresses = new HashSet<IpAddressBits>();
        foreach (var address in _configured) addresses.Add(IpAddressBits.From(address).Canonical());
        var wildcard = false;
        foreach (var endpoint in listeners)
        {
            if (endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)) wildcard = true;
            else addresses.Add(IpAddressBits.From(endpoint.Address).Canonical());
        }
        if (wildcard)
        {
            foreach (var address in _interfaceAddresses()) addresses.Add(IpAddressBits.From(address).Canonical());
        }
        // Before the listeners are bound (or in a host without them) nothing is taken, so the next request looks again.
        return new Snapshot(addresses, [.. listeners.Select(e => e.Port).Distinct()], listeners.Count == 0 ? long.MinValue : now);
    }

    private static IEnumerable<IPAddress> InterfaceAddresses()
    {
        foreach (var networkInterface in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in networkInterface.GetIPProperties().UnicastAddresses)
            {
                // A zone index (fe80::1%2) is not part of the address a peer names.
                var address = unicast.Address;
                // (ScopeId throws for IPv4 addresses: ask only IPv6 ones.)
                yield return address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || address.ScopeId == 0
                    ? address : new IPAddress(address.GetAddressBytes());
            }
        }
    }

    private sealed record Snapshot(HashSet<IpAddressBits> Addresses, int[] ListenerPorts, long TakenAt);
}
