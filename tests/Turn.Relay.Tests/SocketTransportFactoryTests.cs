using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Transports;
using Turn.Relay.Transports.Linux;
using Turn.Relay.Transports.Sockets;

namespace Turn.Relay.Tests;

/// <summary>Choosing the I/O model once, and what each model makes.</summary>
public sealed class SocketTransportFactoryTests
{
    [Fact]
    public void Create_LinuxFastPathOff_MakesEverythingOnThePortableModel()
    {
        using var transport = SocketTransportFactory.Create(new RelayOptions { LinuxFastPath = false }, NullLoggerFactory.Instance);

        Assert.IsType<SocketsTransport>(transport);
        Assert.Equal("sockets", transport.Name);
        using var listener = transport.BindUdpListener(new IPEndPoint(IPAddress.Loopback, 0), new NoMessages(), reusePort: false);
        Assert.IsType<SocketsUdpListener>(listener);
        using var relay = transport.TryBind(Loopback(0));
        Assert.IsType<SocketsRelaySocket>(relay);
        Assert.IsType<SocketsStreamConnection>(Connection(transport, RelayTransport.Tcp));
        Assert.IsType<SocketsStreamConnection>(Connection(transport, RelayTransport.Tls));
    }

    [Fact]
    public void Create_LinuxFastPath_OnLinux_ServesTcpFromTheLoops_AndTlsFromThePortableConnection()
    {
        using var transport = SocketTransportFactory.Create(new RelayOptions { LinuxFastPath = true, EventLoops = 1 }, NullLoggerFactory.Instance);
        if (!LinuxSocketCalls.IsAvailable)
        {
            // Not Linux x86-64/arm64: the factory falls back.
            Assert.IsType<SocketsTransport>(transport);
            return;
        }

        var linux = Assert.IsType<LinuxTransport>(transport);
        Assert.Equal("linux", linux.Name);
        Assert.Equal(1, linux.LoopCount);
        using var listener = transport.BindUdpListener(new IPEndPoint(IPAddress.Loopback, 0), new NoMessages(), reusePort: false);
        Assert.IsType<LinuxUdpListener>(listener);
        using var relay = transport.TryBind(Loopback(0));
        Assert.IsType<LinuxRelaySocket>(relay);
        Assert.IsType<LinuxStreamConnection>(Connection(transport, RelayTransport.Tcp));
        // SslStream does the TLS reads and writes: the portable connection.
        Assert.IsType<SocketsStreamConnection>(Connection(transport, RelayTransport.Tls));
    }

    private static StreamClientConnection Connection(ISocketTransport transport, RelayTransport kind)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connection = transport.CreateStreamConnection(kind, socket, new MemoryStream(), Loopback(40000), Loopback(3478),
            new NoMessages(), TimeProvider.System, NullLogger.Instance);
        connection.Dispose();
        return connection;
    }

    private static TransportAddress Loopback(int port) => TransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, port));

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
