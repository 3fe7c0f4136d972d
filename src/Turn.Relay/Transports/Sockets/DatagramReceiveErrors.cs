using System.Net.Sockets;

namespace Turn.Relay.Transports.Sockets;

/// <summary>How the portable UDP receive loops sort a failed receive.</summary>
internal static class DatagramReceiveErrors
{
    /// <summary>
    /// ICMP feedback for an earlier send (a peer's port or host unreachable, reported on the next receive) or an
    /// oversized datagram: the socket is fine, so the loop skips it. Anything else ends the loop and is logged.
    /// </summary>
    public static bool IsSkippable(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.MessageSize or SocketError.HostUnreachable
            or SocketError.NetworkUnreachable or SocketError.ConnectionRefused;
}
