using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Transports;
using Turn.Relay.Transports.Linux;
using Turn.Relay.Transports.Sockets;

namespace Turn.Relay.Tests;

/// <summary>
/// StreamClientConnection's Close and Dispose racing, on real loopback TCP connections, for each I/O
/// model's connection (the Linux one only where its event loops run).
/// </summary>
public sealed class StreamClientConnectionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CloseAndDispose_FromTwoThreadsAtOnce_NeverThrow(bool linuxPath)
    {
        using var transport = linuxPath
            ? SocketTransportFactory.Create(new RelayOptions { LinuxFastPath = true, EventLoops = 1 }, NullLoggerFactory.Instance)
            : new SocketsTransport(NullLoggerFactory.Instance);
        // Off Linux x86-64/arm64 the factory falls back: both cases then check the portable connection.
        Assert.Equal(linuxPath && LinuxSocketCalls.IsAvailable, transport is LinuxTransport);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var failures = new List<Exception>();
        for (var i = 0; i < 200; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(listener.LocalEndPoint!);
            var accepted = await listener.AcceptAsync();
            var connection = transport.CreateStreamConnection(RelayTransport.Tcp, accepted, new NetworkStream(accepted, ownsSocket: false),
                TransportAddress.FromIPEndPoint((IPEndPoint)accepted.RemoteEndPoint!), TransportAddress.FromIPEndPoint((IPEndPoint)accepted.LocalEndPoint!),
                new NoMessages(), TimeProvider.System, NullLogger.Instance);
            // As in the relay: the idle sweep or the engine closes while the listener disposes.
            using var start = new Barrier(2);
            var close = Task.Run(() =>
            {
                start.SignalAndWait();
                connection.Close();
            });
            var dispose = Task.Run(() =>
            {
                start.SignalAndWait();
                connection.Dispose();
            });
            try
            {
                await Task.WhenAll(close, dispose);
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
            Assert.True(connection.IsClosed);
            Assert.False(connection.Send([0x40, 0x00, 0x00, 0x00]));
        }
        Assert.Empty(failures);
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
