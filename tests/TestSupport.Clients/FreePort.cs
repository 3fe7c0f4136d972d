using System.Net;
using System.Net.Sockets;

namespace Turnstone.TestSupport.Clients;

/// <summary>Ports the OS says are free right now on loopback (for tools that cannot bind port 0 and report it).</summary>
public static class FreePort
{
    public static int Udp(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A port free for both TCP and UDP (a TURN listener needs both).</summary>
    public static int TcpAndUdp(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP: try another.
            }
        }

        throw new InvalidOperationException("No port free for both TCP and UDP on loopback after 50 attempts.");
    }

    /// <summary>A port free for TCP and UDP on both 127.0.0.1 and ::1 (a TURN listener on both loopbacks).</summary>
    public static int TcpAndUdpOnBothLoopbacks()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = TcpAndUdp();
            using var tcp = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            using var udp = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.IPv6Loopback, port));
                udp.Bind(new IPEndPoint(IPAddress.IPv6Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken on ::1: try another.
            }
        }

        throw new InvalidOperationException("No port free for TCP and UDP on both 127.0.0.1 and ::1 after 50 attempts.");
    }
}
