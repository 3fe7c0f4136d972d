using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Turn.Protocol;
using Turn.Relay.Transports;
using Turn.Relay.Transports.Linux;

namespace Turn.Relay.Tests;

/// <summary>
/// The Linux path's IP_PKTINFO handling on its own: recvmmsg reports each datagram's destination,
/// replies name their source, a wildcard listener keeps its reached addresses apart, and none of it
/// allocates per datagram.
/// </summary>
public sealed class PacketInfoTests
{
    private static readonly IPAddress Second = IPAddress.Parse("127.0.0.2");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BatchReader_WildcardSocket_ReportsEachDestination_WithoutAllocating(bool oneAtATime)
    {
        Assert.True(LinuxSocketCalls.IsAvailable, "These tests run on Linux x86-64/arm64, where the fast path exists.");
        using var socket = WildcardSocket();
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var reader = new DatagramBatchReader();
        if (oneAtATime) Assert.True(reader.FallBackToRecvMsg());
        var destinations = new TransportAddress[2];

        // Warm up (JIT, first P/Invoke) with one round, then measure the reads of the next.
        ReceiveBoth(socket, sender, port, reader, destinations);
        var allocated = ReceiveBoth(socket, sender, port, reader, destinations);

        Assert.Equal([TransportAddress.FromIPAddress(IPAddress.Loopback, 0), TransportAddress.FromIPAddress(Second, 0)], destinations);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Listener_WildcardSocket_KeepsAnEndpointPerAddress_AndRepliesFromIt_WithoutAllocating()
    {
        using var transport = SocketTransportFactory.Create(new RelayOptions { LinuxFastPath = true, EventLoops = 1 }, NullLoggerFactory.Instance);
        Assert.IsType<LinuxTransport>(transport);
        using var listener = transport.BindUdpListener(new IPEndPoint(IPAddress.Any, 0), new NoMessages(), reusePort: false);
        var port = listener.LocalAddress.Port;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveTimeout = 5_000;
        var remote = TransportAddress.FromIPEndPoint((IPEndPoint)client.LocalEndPoint!);

        var first = listener.EndpointFor(TransportAddress.FromIPAddress(IPAddress.Loopback, 0))!;
        var second = listener.EndpointFor(TransportAddress.FromIPAddress(Second, 0))!;
        Assert.Same(second, listener.EndpointFor(TransportAddress.FromIPAddress(Second, 0)));
        Assert.NotEqual(first.LocalId, second.LocalId);
        Assert.Equal(new IPEndPoint(Second, port), second.LocalAddress.ToIPEndPoint());
        var connection = second.CreateConnection(remote);
        Assert.Equal(second.LocalAddress, connection.Local);

        Assert.True(connection.Send([1]));
        var buffer = new byte[16];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        client.ReceiveFrom(buffer, ref from);
        Assert.Equal(new IPEndPoint(Second, port), from);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            listener.EndpointFor(TransportAddress.FromIPAddress(Second, 0));
            connection.Send([2]);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Listener_Wildcard_StopsTellingAddressesApartAtTheCap()
    {
        using var transport = SocketTransportFactory.Create(new RelayOptions { LinuxFastPath = false }, NullLoggerFactory.Instance);
        using var listener = transport.BindUdpListener(new IPEndPoint(IPAddress.Any, 0), new NoMessages(), reusePort: false);
        for (var i = 0; i < UdpListener.MaxLocalAddresses; i++)
        {
            Assert.NotNull(listener.EndpointFor(TransportAddress.FromIPv4(0x7F000001u + (uint)i, 0)));
        }
        Assert.Null(listener.EndpointFor(TransportAddress.FromIPv4(0x7F000001u + UdpListener.MaxLocalAddresses, 0)));
        // Known addresses still resolve; an unreported destination falls back to the socket's own.
        Assert.NotNull(listener.EndpointFor(TransportAddress.FromIPv4(0x7F000001u, 0)));
        Assert.Equal(listener.LocalAddress, listener.EndpointFor(default)!.LocalAddress);
    }

    [Theory]
    [InlineData("0.0.0.0", "255.255.255.255")]
    [InlineData("0.0.0.0", "239.1.2.3")]
    [InlineData("::", "fe80::1")]
    [InlineData("::", "ff02::1")]
    public void Listener_Wildcard_DestinationsWithoutAUsableSource_GetTheSocketsOwnEndpoint(string wildcard, string destination)
    {
        using var transport = SocketTransportFactory.Create(new RelayOptions { LinuxFastPath = false }, NullLoggerFactory.Instance);
        using var listener = transport.BindUdpListener(new IPEndPoint(IPAddress.Parse(wildcard), 0), new NoMessages(), reusePort: false);
        var endpoint = listener.EndpointFor(TransportAddress.FromIPAddress(IPAddress.Parse(destination), 0))!;
        Assert.False(endpoint.HasSource);
        Assert.Equal(listener.LocalAddress, endpoint.LocalAddress);
    }

    private static Socket WildcardSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        return socket;
    }

    // Sends one datagram to 127.0.0.1 and one to 127.0.0.2, then reads both (one or two calls);
    // returns what the reads (recvmmsg/recvmsg and TryGet only) allocated.
    private static long ReceiveBoth(Socket socket, Socket sender, int port, DatagramBatchReader reader, TransportAddress[] destinations)
    {
        var senderAddress = TransportAddress.FromIPEndPoint((IPEndPoint)sender.LocalEndPoint!);
        sender.SendTo([1], new IPEndPoint(IPAddress.Loopback, port));
        sender.SendTo([2], new IPEndPoint(Second, port));
        long allocated = 0;
        var count = 0;
        var ok = true;
        for (var attempt = 0; attempt < 100 && count < 2; attempt++)
        {
            Assert.True(socket.Poll(TimeSpan.FromSeconds(5), SelectMode.SelectRead));
            var before = GC.GetAllocatedBytesForCurrentThread();
            var received = reader.Receive(socket.SafeHandle, out _);
            for (var i = 0; i < received && count < 2; i++)
            {
                ok &= reader.TryGet(i, out _, out var length, out var from, out var to) && length == 1 && from == senderAddress;
                destinations[count++] = to;
            }
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.True(ok, "A datagram was unreadable, of the wrong length or from the wrong sender.");
        return allocated;
    }

    private sealed class NoMessages : IClientMessageHandler
    {
        public void OnDatagram(IDatagramEndpoint endpoint, in TransportAddress remote, ReadOnlySpan<byte> data)
        {
        }

        public void OnStreamMessage(ClientConnection connection, ReadOnlySpan<byte> message)
        {
        }

        public bool HasAllocation(ClientConnection connection) => false;

        public void OnStreamClosed(ClientConnection connection)
        {
        }
    }
}
