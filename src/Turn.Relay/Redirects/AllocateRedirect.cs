using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Requests;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Redirects;

/// <summary>
/// Whether a new Allocate goes elsewhere (300 Try Alternate with ALTERNATE-SERVER, RFC 8489 section 10): the node is
/// draining (Relay:RedirectWhenDraining) or full (Relay:RedirectWhenFull: Relay:MaxAllocations reached or no relay port
/// left), and the directory knows a server of the client's transport and address family. O(1), no lock, no I/O: it
/// is asked before authentication too (see docs/CLUSTER-DEPLOY.md, "Redirects", for why there).
/// </summary>
internal sealed partial class AllocateRedirect(AllocationTable table, RelayOptions options, IAlternateServerDirectory? directory,
    ResponseWriter responses, ILogger logger)
{
    /// <summary>For an authenticated Allocate: answers 300 (signed) and returns true when <see cref="TryRedirectNow"/> says so.</summary>
    public bool TrySendNow(RequestContext context) =>
        TryRedirectNow(context.Connection, out var alternate) && Send(context, alternate, table.IsDraining ? "draining" : "full");

    /// <summary>For an Allocate the table refused for capacity: answers 300 (signed) when there is an alternate.</summary>
    public bool TrySendFull(RequestContext context) =>
        TryRedirectFull(context.Connection, out var alternate) && Send(context, alternate, "full");

    /// <summary>True when this node would refuse a new allocation now and there is somewhere to send it.</summary>
    public bool TryRedirectNow(ClientConnection client, out TransportAddress alternate)
    {
        alternate = default;
        if (directory is null) return false;
        var draining = options.RedirectWhenDraining && table.IsDraining;
        if (!draining && !(options.RedirectWhenFull && table.IsFull)) return false;
        return TryGetAlternate(client, out alternate);
    }

    /// <summary>After the table refused for capacity (a race the early check missed): somewhere to send the client.</summary>
    public bool TryRedirectFull(ClientConnection client, out TransportAddress alternate)
    {
        alternate = default;
        return directory is not null && options.RedirectWhenFull && TryGetAlternate(client, out alternate);
    }

    private bool Send(RequestContext context, in TransportAddress alternate, string why)
    {
        responses.SendAlternate(context, alternate);
        LogRedirected(logger, context.Username, context.Connection.Remote.ToString(), alternate.ToString(), why);
        return true;
    }

    private bool TryGetAlternate(ClientConnection client, out TransportAddress alternate)
    {
        alternate = default;
        // The family the client reached us with (a mapped address on a dual-stack socket is IPv4): it can reach that one.
        var family = client.Remote.IsIPv4 || client.Remote.IsIPv4Mapped ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (!directory!.TryGetAlternate(client.Transport, family, out var endPoint) || endPoint is null) return false;
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        if (address.AddressFamily != family || endPoint.Port is <= 0 or > 65535) return false;
        alternate = TransportAddress.FromIPAddress(address, (ushort)endPoint.Port);
        // Never to ourselves: the client would come straight back (Chromium then gives up on the server).
        return !alternate.Equals(client.Local);
    }

    [LoggerMessage(EventId = 1430, Level = LogLevel.Debug, Message = "Allocate of {User} from {Client} sent to {Alternate} (300): this node is {Why}")]
    private static partial void LogRedirected(ILogger logger, string user, string client, string alternate, string why);
}
