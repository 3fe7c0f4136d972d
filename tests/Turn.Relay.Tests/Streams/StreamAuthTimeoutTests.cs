using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Turn.Protocol;
using Turn.Relay.Transports;
using Turn.Relay.Transports.Sockets;

namespace Turn.Relay.Tests.Streams;

/// <summary>
/// The authentication deadline reads ClientConnection.IsAuthenticated (set by the request pipeline once a request
/// passed MESSAGE-INTEGRITY): an authenticated connection without an allocation stays, an unauthenticated one is
/// closed though it keeps sending. A listener with a stand-in handler, so the flag alone decides.
/// </summary>
public sealed class StreamAuthTimeoutTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Keepalives_ClosedAfterTheAuthTimeout_UnlessAuthenticated(bool authenticate, bool expectClosed)
    {
        using var transport = new SocketsTransport(NullLoggerFactory.Instance);
        var handler = new Handler(authenticate);
        using var listener = new StreamListener(new IPEndPoint(IPAddress.Loopback, 0), null, handler, _ => false,
            new StreamConnectionLimiter(10, 10), new StreamLimits(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)),
            TimeProvider.System, NullLogger.Instance, transport);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalAddress.ToIPEndPoint());

        // A Binding request every 250 ms for 3 s (three times the deadline).
        var closed = false;
        for (var i = 0; i < 12 && !closed; i++)
        {
            try
            {
                await client.SendAsync(Binding(), SocketFlags.None);
                closed = await EndedAsync(client, TimeSpan.FromMilliseconds(250));
            }
            catch (SocketException)
            {
                closed = true;
            }
        }
        Assert.Equal(expectClosed, closed);
        Assert.True(handler.Messages > 0);
    }

    private static async Task<bool> EndedAsync(Socket socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await socket.ReceiveAsync(new byte[64], SocketFlags.None, timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static byte[] Binding()
    {
        var message = new byte[20];
        message[1] = 0x01;
        message[4] = 0x21; message[5] = 0x12; message[6] = 0xA4; message[7] = 0x42;
        RandomNumberGenerator.Fill(message.AsSpan(8));
        return message;
    }

    private sealed class Handler(bool authenticate) : IClientMessageHandler
    {
        private int _messages;

        public int Messages => Volatile.Read(ref _messages);

        public void OnDatagram(IDatagramEndpoint endpoint, in TransportAddress remote, ReadOnlySpan<byte> data) { }

        public void OnStreamMessage(ClientConnection connection, ReadOnlySpan<byte> message)
        {
            Interlocked.Increment(ref _messages);
            // What the request pipeline does after MESSAGE-INTEGRITY passed.
            if (authenticate) connection.MarkAuthenticated();
        }

        public bool HasAllocation(ClientConnection connection) => false;

        public void OnStreamClosed(ClientConnection connection) { }
    }
}
