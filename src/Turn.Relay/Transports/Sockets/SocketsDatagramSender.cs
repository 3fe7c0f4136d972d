using System.Net;
using System.Net.Sockets;
using Turn.Protocol;

namespace Turn.Relay.Transports.Sockets;

/// <summary>
/// Socket.SendTo with a per-thread <see cref="SocketAddress"/> per family: no allocation per
/// datagram. A send that fails (a full buffer, ICMP feedback, a closed socket) drops the datagram,
/// as UDP allows; the caller counts it.
/// </summary>
internal static class SocketsDatagramSender
{
    [ThreadStatic] private static SocketAddress? t_sendV4;
    [ThreadStatic] private static SocketAddress? t_sendV6;

    public static bool SendTo(Socket socket, ReadOnlySpan<byte> datagram, in TransportAddress to)
    {
        var address = to.IsIPv4
            ? t_sendV4 ??= new SocketAddress(AddressFamily.InterNetwork)
            : t_sendV6 ??= new SocketAddress(AddressFamily.InterNetworkV6);
        if (!to.TryWriteTo(address)) return false;
        try
        {
            return socket.SendTo(datagram, SocketFlags.None, address) == datagram.Length;
        }
        catch (SocketException)
        {
            // ICMP errors surface here (e.g. connection refused from an earlier datagram) and a full
            // send buffer as WouldBlock.
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
