using System.Net;
using System.Net.Sockets;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// UDP sockets a flood sends from, each connected to the server. Several sources stand in for spoofed addresses:
/// on loopback every 127.0.0.0/8 address is ours, so source i binds 127.(20+i).x.y, a different /16 for each, and a
/// limit per address or per prefix alone cannot hold them back.
/// </summary>
internal static class FloodSources
{
    public const int MaxSources = 200;

    /// <summary>Sockets on 127.0.0.1 (<paramref name="spread"/> false) or on one address per source in distinct /16s.</summary>
    public static Socket[] Create(IPEndPoint server, int count, bool spread)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxSources);
        var sockets = new Socket[count];
        for (var i = 0; i < count; i++)
        {
            var address = spread ? new IPAddress([127, (byte)(20 + i), (byte)((i * 37) & 255), (byte)((i % 250) + 1)]) : IPAddress.Loopback;
            sockets[i] = CreateAt(server, address);
        }
        return sockets;
    }

    /// <summary>One socket on <paramref name="address"/> (a loopback address of the test's choosing, so its limits are its own).</summary>
    public static Socket CreateAt(IPEndPoint server, IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.Connect(server);
        WidenReceiveBuffer(socket);
        return socket;
    }

    public static void Dispose(IEnumerable<Socket> sockets)
    {
        foreach (var socket in sockets) socket.Dispose();
    }

    // Answers are counted after the fact: a receive buffer of a few MB keeps the kernel from dropping them first.
    // SO_RCVBUFFORCE (as root) passes net.core.rmem_max; otherwise the ordinary option, capped by it.
    private static void WidenReceiveBuffer(Socket socket)
    {
        const int SolSocket = 1;
        const int SoRcvBufForce = 33;
        const int Bytes = 8 << 20;
        try
        {
            socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(Bytes));
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = Bytes;
        }
    }
}
