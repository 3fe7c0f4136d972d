using System.Net;
using Turn.Relay;
using Turn.Relay.Seams;

namespace Admin.Web.Cluster;

/// <summary>
/// The TURN addresses this node advertises in the registry, per transport: the bound listener addresses, with the
/// address replaced by Relay:ExternalAddress when that is set (the ports stay the bound ones) for listeners of its
/// family or bound to a wildcard.
/// </summary>
internal static class NodeAdvertisement
{
    public static List<string> Addresses(IReadOnlyList<IPEndPoint> bound, RelayOptions relay)
    {
        var external = !string.IsNullOrWhiteSpace(relay.ExternalAddress) && IPAddress.TryParse(relay.ExternalAddress, out var parsed) ? parsed : null;
        var list = new List<string>(bound.Count);
        foreach (var endPoint in bound)
        {
            var address = endPoint.Address;
            if (external is not null && (external.AddressFamily == address.AddressFamily || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
                address = external;
            var text = new IPEndPoint(address, endPoint.Port).ToString();
            if (!list.Contains(text)) list.Add(text);
        }
        return list;
    }
}
