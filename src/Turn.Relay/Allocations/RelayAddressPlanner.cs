using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Turn.Protocol;
using Turn.Relay.Transports;

namespace Turn.Relay.Allocations;

/// <summary>
/// Where a relay socket is bound and which address is advertised for it, the same for UDP and
/// TCP/TLS clients: Relay:RelayAddress when set (and then only its family is relayed), else the
/// address the client reached (<see cref="ClientConnection.Local"/>: the destination of its
/// datagrams on a wildcard UDP socket, the accepted connection's local address for a stream), else
/// (another family asked for, or a destination the socket did not report) the host's first
/// non-loopback address of the family; advertised as Relay:ExternalAddress when set.
/// A client that reached 127.0.0.1 or ::1 gets a loopback relay, as coturn's per-address listeners
/// give it: such a relay reaches loopback peers only, and those stay subject to the peer policy
/// (refused unless Relay:AllowLoopbackPeers).
/// </summary>
internal sealed class RelayAddressPlanner
{
    private readonly TransportAddress? _relayV4;
    private readonly TransportAddress? _relayV6;
    private readonly TransportAddress? _externalV4;
    private readonly TransportAddress? _externalV6;

    public RelayAddressPlanner(RelayOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.RelayAddress))
        {
            var relay = TransportAddress.FromIPAddress(IPAddress.Parse(options.RelayAddress), 0);
            if (relay.IsIPv4) _relayV4 = relay;
            else _relayV6 = relay;
        }
        if (!string.IsNullOrWhiteSpace(options.ExternalAddress))
        {
            var external = TransportAddress.FromIPAddress(IPAddress.Parse(options.ExternalAddress), 0);
            if (external.IsIPv4) _externalV4 = external;
            else _externalV6 = external;
        }
        HostIPv4 = FindHostAddress(AddressFamily.InterNetwork);
        HostIPv6 = Socket.OSSupportsIPv6 ? FindHostAddress(AddressFamily.InterNetworkV6) : null;
    }

    /// <summary>The address advertised for IPv4 relays when neither RelayAddress nor the address the client reached says.</summary>
    public TransportAddress? HostIPv4 { get; }

    public TransportAddress? HostIPv6 { get; }

    // Where to bind the relay socket and which address to advertise, for a family; false when the
    // server has no address of that family.
    public bool TryPlan(StunAddressFamily family, ClientConnection client, out TransportAddress bind, out TransportAddress advertised)
    {
        var configured = family == StunAddressFamily.IPv4 ? _relayV4 : _relayV6;
        var otherConfigured = family == StunAddressFamily.IPv4 ? _relayV6 : _relayV4;
        if (configured is { } relay)
        {
            bind = relay;
        }
        else if (otherConfigured is not null)
        {
            // Relay:RelayAddress names the one family this server relays.
            bind = advertised = default;
            return false;
        }
        else if (client.Local.Family == family && !IsUnspecified(client.Local))
        {
            bind = client.Local.WithPort(0);
        }
        else if ((family == StunAddressFamily.IPv4 ? HostIPv4 : HostIPv6) is { } host)
        {
            bind = host;
        }
        else
        {
            bind = advertised = default;
            return false;
        }
        advertised = Advertise(bind);
        return true;
    }

    /// <summary>The address clients are told for a socket bound on <paramref name="local"/>.</summary>
    public TransportAddress Advertise(in TransportAddress local)
    {
        var external = local.IsIPv4 ? _externalV4 : _externalV6;
        return external is { } e ? e.WithPort(local.Port) : local;
    }

    private static bool IsUnspecified(in TransportAddress address) => address.IsUnspecifiedAddress;

    private static TransportAddress? FindHostAddress(AddressFamily family)
    {
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    var address = unicast.Address;
                    if (address.AddressFamily != family || address.IsIPv6LinkLocal) continue;
                    return TransportAddress.FromIPAddress(address, 0);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Fall back to loopback below.
        }
        return family == AddressFamily.InterNetwork
            ? TransportAddress.FromIPAddress(IPAddress.Loopback, 0)
            : Socket.OSSupportsIPv6 ? TransportAddress.FromIPAddress(IPAddress.IPv6Loopback, 0) : null;
    }
}
