using System.Net;
using System.Net.Sockets;
using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>
/// The client-facing UDP socket, whatever reads it: binds it (large kernel buffers, optionally
/// SO_REUSEPORT) and names the local part of its clients' 5-tuples. The I/O model (<c>Sockets/</c>,
/// <c>Linux/</c>) receives and sends; either way a datagram costs no allocation, and one reader per
/// socket keeps each client's datagrams in order. Scaling across cores is for SO_REUSEPORT sockets
/// (the kernel keeps a client on one socket).
/// A wildcard socket (0.0.0.0, ::) asks for each datagram's destination (IP_PKTINFO,
/// IPV6_RECVPKTINFO) and keeps one <see cref="UdpLocalEndpoint"/> per local address reached: the
/// client's 5-tuple, its relay and the source of its replies all follow the address it reached.
/// </summary>
internal abstract class UdpListener : IDisposable
{
    /// <summary>
    /// Local addresses one wildcard socket tells apart. A host has a handful; datagrams to any further
    /// address (only local senders can aim at, say, the whole of 127.0.0.0/8) are dropped.
    /// </summary>
    public const int MaxLocalAddresses = 64;

    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private readonly Lock _endpointsLock = new();
    private readonly UdpLocalEndpoint _bound;
    private UdpLocalEndpoint[] _reached = [];
    private int _disposed;

    protected UdpListener(IPEndPoint endPoint, IClientMessageHandler handler, bool reusePort)
    {
        Handler = handler;
        Socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        IsWildcard = endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any);
        try
        {
            // IPv6-only: "::" and "0.0.0.0" are separate listeners, so no IPv4-mapped traffic arrives here.
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6) Socket.DualMode = false;
            // Bursts from many clients land in the kernel buffer while a loop is busy.
            Socket.ReceiveBufferSize = 4 * 1024 * 1024;
            Socket.SendBufferSize = 4 * 1024 * 1024;
            // SO_REUSEPORT (Linux): several listeners share the port, the kernel keeps each client on one.
            if (reusePort) Socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            // IP_PKTINFO / IPV6_RECVPKTINFO: each datagram reports the local address it was sent to.
            if (IsWildcard)
            {
                Socket.SetSocketOption(endPoint.AddressFamily == AddressFamily.InterNetwork ? SocketOptionLevel.IP : SocketOptionLevel.IPv6,
                    SocketOptionName.PacketInformation, true);
            }
            Socket.Bind(endPoint);
        }
        catch
        {
            Socket.Dispose();
            throw;
        }
        LocalAddress = TransportAddress.FromIPEndPoint((IPEndPoint)Socket.LocalEndPoint!);
        _bound = new UdpLocalEndpoint(this, LocalAddress, default);
    }

    /// <summary>The address the socket is bound to (0.0.0.0 or :: for a wildcard) and its port.</summary>
    public TransportAddress LocalAddress { get; }

    /// <summary>True when bound to 0.0.0.0 or ::, so datagrams carry the address they reached.</summary>
    public bool IsWildcard { get; }

    protected Socket Socket { get; }

    protected IClientMessageHandler Handler { get; }

    /// <summary>Starts receiving: datagrams go to the engine from now on.</summary>
    public abstract void Start();

    /// <summary>
    /// The endpoint a datagram sent to <paramref name="destination"/> (port ignored; default when the
    /// socket did not say) belongs to; null when a wildcard socket already tells <see cref="MaxLocalAddresses"/>
    /// addresses apart. Called per datagram: a scan of a few entries, no allocation once an address is known.
    /// </summary>
    internal UdpLocalEndpoint? EndpointFor(in TransportAddress destination)
    {
        if (!IsWildcard || !IsUnicastWithoutScope(destination)) return _bound;
        var reached = Volatile.Read(ref _reached);
        for (var i = 0; i < reached.Length; i++)
        {
            var endpoint = reached[i];
            if (endpoint.Source.SameAddress(destination)) return endpoint;
        }
        return AddEndpoint(destination);
    }

    // Addresses a relay can bind and a reply can name without an interface: not IPv6 link-local (it
    // needs a scope id) nor multicast or broadcast. Datagrams to those get the socket's own endpoint
    // and the kernel's choice of source, as before destinations were read.
    private static bool IsUnicastWithoutScope(in TransportAddress destination)
    {
        if (destination.IsIPv4)
        {
            var address = (uint)destination.AddressLow;
            return address != uint.MaxValue && (address >> 28) != 0xE && address != 0;
        }
        if (!destination.IsIPv6) return false;
        var top = (ushort)(destination.AddressHigh >> 48);
        return (top & 0xFFC0) != 0xFE80 && (top >> 8) != 0xFF && !destination.IsUnspecifiedAddress;
    }

    private UdpLocalEndpoint? AddEndpoint(in TransportAddress destination)
    {
        lock (_endpointsLock)
        {
            // Only the socket's one reader adds; the lock keeps the copy-on-write safe whoever calls.
            foreach (var endpoint in _reached)
            {
                if (endpoint.Source.SameAddress(destination)) return endpoint;
            }
            if (_reached.Length >= MaxLocalAddresses) return null;
            var added = new UdpLocalEndpoint(this, destination.WithPort(LocalAddress.Port), destination.WithPort(0));
            Volatile.Write(ref _reached, [.. _reached, added]);
            return added;
        }
    }

    /// <summary>
    /// Sends one datagram to a client from this socket, from <paramref name="from"/>'s address when it
    /// names one; false when it was dropped. Never blocks.
    /// </summary>
    public abstract bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress remote, UdpLocalEndpoint from);

    /// <summary>Stops receiving before the socket closes (a loop must let go of its descriptor first).</summary>
    protected abstract void StopReceiving();

    /// <summary>After the socket closed: waits for receiving to end.</summary>
    protected virtual void WaitStopped()
    {
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        StopReceiving();
        Socket.Dispose();
        WaitStopped();
    }
}
