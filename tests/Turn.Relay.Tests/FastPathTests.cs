using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Turn.Protocol;
using Turn.Relay.Tests.Support;
using Turn.Relay.Transports;
using Turn.Relay.Transports.Linux;
using Turn.Relay.Transports.Sockets;

namespace Turn.Relay.Tests;

/// <summary>
/// The relay's two socket paths, each on real loopback sockets (relay ports 46400-46569): the Linux
/// event loops (epoll, recvmmsg, sendto, inline TCP sends joined per receive batch) and the portable .NET async paths
/// (Relay:LinuxFastPath false, as on other platforms).
/// </summary>
public sealed class FastPathTests
{
    public static TheoryData<bool, int, int> Paths => new() { { true, 46400, 46449 }, { false, 46450, 46499 } };

    [Fact]
    public async Task LinuxFastPath_OnLinux_ServesSocketsFromEventLoops()
    {
        await using var host = await RelayHost.StartAsync(46400, 46449, new Dictionary<string, string?> { ["Relay:LinuxFastPath"] = "true" });
        var transport = host.Host.Services.GetRequiredService<ISocketTransport>();
        Assert.Equal(OperatingSystem.IsLinux() && LinuxSocketCalls.IsAvailable, transport is LinuxTransport);
        if (transport is LinuxTransport linux) Assert.Equal(Environment.ProcessorCount, linux.LoopCount);
        // The relay sockets come from the same model.
        Assert.Same(transport, host.Host.Services.GetRequiredService<IRelaySocketFactory>());
    }

    [Fact]
    public async Task LinuxFastPathOff_UsesThePortablePath()
    {
        await using var host = await RelayHost.StartAsync(46450, 46499, new Dictionary<string, string?> { ["Relay:LinuxFastPath"] = "false" });
        Assert.IsType<SocketsTransport>(host.Host.Services.GetRequiredService<ISocketTransport>());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Udp_RelaysBothWays_OnEitherPath(bool fastPath, int minPort, int maxPort)
    {
        await using var host = await RelayHost.StartAsync(minPort, maxPort, Settings(fastPath, loops: 2));
        await using var client = WireClient.Udp(host.Service.UdpEndPoints[0]);
        using var peer = BindPeer(out var peerAddress);
        var allocation = await client.AllocateAsync();
        Assert.True(allocation.IsSuccess);
        var relayed = allocation.XorRelayedAddress!.Value.ToIPEndPoint();

        // Send/Data indications (no channel yet), then ChannelData, odd lengths included.
        Assert.True((await client.CreatePermissionAsync(peerAddress)).IsSuccess);
        await client.SendIndicationAsync(peerAddress, [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, await PeerReceiveAsync(peer));
        await peer.SendToAsync(new byte[] { 9, 9, 9, 9, 9 }, SocketFlags.None, relayed);
        var indication = StunResponse.Parse(await client.ReceiveAsync());
        Assert.Equal(StunMethod.Data, indication.Method);
        Assert.Equal(new byte[] { 9, 9, 9, 9, 9 }, indication.Data);
        Assert.Equal(peerAddress, indication.XorPeerAddress);

        Assert.True((await client.ChannelBindAsync(0x4002, peerAddress)).IsSuccess);
        for (var i = 1; i <= 20; i++)
        {
            var payload = Enumerable.Range(0, i).Select(b => (byte)(b + i)).ToArray();
            await client.SendChannelDataAsync(0x4002, payload);
            Assert.Equal(payload, await PeerReceiveAsync(peer));
            await peer.SendToAsync(payload, SocketFlags.None, relayed);
            var frame = await client.ReceiveAsync();
            Assert.Equal(0x4002, WireClient.ChannelOf(frame));
            Assert.Equal(payload, frame[4..]);
        }
    }

    [Theory]
    [InlineData(true, 46500, 46519)]
    [InlineData(false, 46520, 46539)]
    public async Task Tcp_SlowReader_GetsIntactFramesInOrder_ThenLiveTraffic(bool fastPath, int minPort, int maxPort)
    {
        await using var host = await RelayHost.StartAsync(minPort, maxPort, Settings(fastPath, loops: 2));
        // A 64 KB receive window, and the client reads nothing until the flood is over: the
        // server's send buffer fills, so sends stop being taken whole (inline sends hand their
        // tail to the write loop, which must put it ahead of everything queued later).
        await using var client = await WireClient.TcpAsync(host.Service.TcpEndPoints[0], receiveBufferSize: 64 * 1024);
        using var peer = BindPeer(out var peerAddress);
        var allocation = await client.AllocateAsync();
        Assert.True(allocation.IsSuccess);
        var relayed = allocation.XorRelayedAddress!.Value.ToIPEndPoint();
        Assert.True((await client.ChannelBindAsync(0x4003, peerAddress)).IsSuccess);

        // 8,000 odd-sized datagrams (8 MB, more than the kernel buffers), paced so the relay socket keeps up.
        const int Count = 8_000;
        const int Size = 1_001;
        var datagram = new byte[Size];
        for (var seq = 0; seq < Count; seq++)
        {
            Fill(datagram, seq);
            await peer.SendToAsync(datagram, SocketFlags.None, relayed);
            if (seq % 50 == 49) await Task.Delay(1);
        }

        // The queue is bounded (1 MB), so some frames may be dropped; every frame that arrives
        // must be whole, padded, and later than the one before. Marker datagrams (number Count)
        // follow until one arrives, so the reader knows the flood is over.
        var received = 0;
        var reader = Task.Run(async () =>
        {
            var expected = new byte[Size];
            var last = -1;
            while (last < Count)
            {
                var frame = await client.ReceiveAsync();
                Assert.Equal(0x4003, WireClient.ChannelOf(frame));
                Assert.Equal(Size, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(2)));
                Assert.Equal(4 + ((Size + 3) & ~3), frame.Length);
                var seq = BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(4));
                Assert.True(seq > last, $"frame {seq} after {last}");
                Fill(expected, seq);
                Assert.Equal(expected, frame[4..(4 + Size)]);
                last = seq;
                received++;
            }
        });
        Fill(datagram, Count);
        for (var i = 0; i < 100 && !reader.IsCompleted; i++)
        {
            await peer.SendToAsync(datagram, SocketFlags.None, relayed);
            await Task.WhenAny(reader, Task.Delay(100));
        }
        await reader;
        Assert.True(received >= 500, $"only {received} of {Count} frames arrived");

        // The connection still relays both ways afterwards.
        await client.SendChannelDataAsync(0x4003, [4, 3, 2, 1]);
        Assert.Equal(new byte[] { 4, 3, 2, 1 }, await PeerReceiveAsync(peer));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Tcp_PeerBursts_ChannelDataAndDataIndicationsMixed_ArriveWholeAndInOrder(bool fastPath, int minPort, int maxPort)
    {
        // One loop, and datagrams sent in bursts of the receive batch size: the relay socket's batches
        // hold several datagrams, which the event loop joins into one TCP send per batch.
        await using var host = await RelayHost.StartAsync(minPort, maxPort, Settings(fastPath, loops: 1));
        await using var client = await WireClient.TcpAsync(host.Service.TcpEndPoints[0]);
        using var bound = BindPeer(out var boundAddress);
        using var unbound = BindPeer(out var unboundAddress);
        var allocation = await client.AllocateAsync();
        Assert.True(allocation.IsSuccess);
        var relayed = allocation.XorRelayedAddress!.Value.ToIPEndPoint();
        Assert.True((await client.ChannelBindAsync(0x4005, boundAddress)).IsSuccess);
        Assert.True((await client.CreatePermissionAsync(unboundAddress)).IsSuccess);

        // Lengths 4..40 (odd ones need padding on the stream); every third from the peer without a
        // channel, which reaches the client as a Data indication.
        const int Count = 480;
        var expected = new Dictionary<TransportAddress, Queue<byte[]>> { [boundAddress] = new(), [unboundAddress] = new() };
        for (var seq = 0; seq < Count; seq++)
        {
            var payload = new byte[4 + seq % 37];
            BinaryPrimitives.WriteInt32BigEndian(payload, seq);
            for (var i = 4; i < payload.Length; i++) payload[i] = (byte)(seq * 7 + i);
            var from = seq % 3 == 2 ? unbound : bound;
            expected[seq % 3 == 2 ? unboundAddress : boundAddress].Enqueue(payload);
            await from.SendToAsync(payload, SocketFlags.None, relayed);
            if (seq % 16 == 15) await Task.Delay(1);
        }

        for (var received = 0; received < Count; received++)
        {
            var frame = await client.ReceiveAsync();
            if (WireClient.ChannelOf(frame) == 0x4005)
            {
                var length = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(2));
                Assert.Equal(4 + ((length + 3) & ~3), frame.Length);
                Assert.Equal(expected[boundAddress].Dequeue(), frame[4..(4 + length)]);
            }
            else
            {
                var indication = StunResponse.Parse(frame);
                Assert.Equal(StunMethod.Data, indication.Method);
                Assert.Equal(unboundAddress, indication.XorPeerAddress);
                Assert.Equal(expected[unboundAddress].Dequeue(), indication.Data);
            }
        }
        Assert.Empty(expected[boundAddress]);
        Assert.Empty(expected[unboundAddress]);
    }

    [Theory]
    [InlineData(true, 46550, 46559)]
    [InlineData(false, 46560, 46569)]
    public async Task Tcp_ClientsResetBeforeTheirAnswers_LeaveTheRelayServing(bool fastPath, int minPort, int maxPort)
    {
        // One event loop: every socket shares the thread that a stuck handler would take down.
        await using var host = await RelayHost.StartAsync(minPort, maxPort, Settings(fastPath, loops: 1));
        var tcp = host.Service.TcpEndPoints[0];
        var requests = BindingRequests(4);
        for (var i = 0; i < 20; i++)
        {
            // The requests arrive, then a reset (linger 0): the relay reads them and its answers meet
            // a reset connection, so it closes the connection from inside its own read.
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(tcp);
            socket.LingerState = new LingerOption(true, 0);
            socket.Send(requests);
            socket.Close();
        }

        await using var udp = WireClient.Udp(host.Service.UdpEndPoints[0]);
        Assert.True((await udp.RequestAsync(StunMethod.Binding, null, authenticate: false)).IsSuccess);
        await using var client = await WireClient.TcpAsync(tcp);
        Assert.True((await client.RequestAsync(StunMethod.Binding, null, authenticate: false)).IsSuccess);
        Assert.True((await client.AllocateAsync()).IsSuccess);
    }

    [Fact]
    public void RelaySocket_DeletedBeforeItStarts_IsNeverRegistered()
    {
        using var transport = SocketTransportFactory.Create(new RelayOptions { LinuxFastPath = true, EventLoops = 1 },
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        if (transport is not LinuxTransport linux) return; // not Linux x86-64/arm64: there is no event loop to register with
        var loops = linux.Loops;
        var relay = transport.TryBind(TransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, 0)))!;
        Assert.IsType<LinuxRelaySocket>(relay);
        // The allocation is deleted (its client gone) before the engine starts its socket: the
        // descriptor's number is free, and the next socket opened in the process takes it.
        relay.Dispose();
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var receiver = new CountingReceiver();
        relay.Start(receiver);

        // Registering a closed socket is refused, whatever socket holds its old number now.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        closed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => loops.Register(closed, new CountingTarget()));

        // The other socket is still its owner's to read: nothing took its datagram.
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.SendTo(new byte[] { 7 }, other.LocalEndPoint!);
        other.ReceiveTimeout = 5_000;
        var buffer = new byte[16];
        Assert.Equal(1, other.Receive(buffer));
        Assert.Equal(0, receiver.Count);
    }

    private sealed class CountingReceiver : IPeerDatagramReceiver
    {
        public int Count;

        public void OnPeerDatagram(Span<byte> buffer, int length, in TransportAddress peer) => Interlocked.Increment(ref Count);
    }

    private sealed class CountingTarget : IDatagramEventTarget
    {
        public void OnDatagram(Span<byte> buffer, int length, in TransportAddress from, in TransportAddress to)
        {
        }
    }

    private static byte[] BindingRequests(int count)
    {
        var all = new List<byte>();
        var buffer = new byte[64];
        for (var i = 0; i < count; i++)
        {
            var writer = new StunMessageWriter(buffer);
            writer.WriteHeader(StunMethod.Binding, StunClass.Request, TransactionId.NewRandom());
            writer.WriteFingerprint();
            all.AddRange(buffer.AsSpan(0, writer.Length).ToArray());
        }
        return [.. all];
    }

    private static Dictionary<string, string?> Settings(bool fastPath, int loops) => new()
    {
        ["Relay:LinuxFastPath"] = fastPath ? "true" : "false",
        ["Relay:EventLoops"] = loops.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static void Fill(byte[] datagram, int seq)
    {
        for (var i = 4; i < datagram.Length; i++) datagram[i] = (byte)(seq + i);
        BinaryPrimitives.WriteInt32BigEndian(datagram, seq);
    }

    // A peer on an ephemeral port inside this class's relay ranges (46400-46569, in the kernel's ephemeral range) is the
    // relay's own port to SelfPeerGuard, which drops what is sent to it: such a port is held aside and another taken.
    private static Socket BindPeer(out TransportAddress address)
    {
        var aside = new List<Socket>();
        try
        {
            while (true)
            {
                var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                var bound = (IPEndPoint)peer.LocalEndPoint!;
                if (bound.Port is >= 46400 and <= 46569)
                {
                    aside.Add(peer);
                    continue;
                }
                address = TransportAddress.FromIPEndPoint(bound);
                return peer;
            }
        }
        finally
        {
            foreach (var socket in aside) socket.Dispose();
        }
    }

    private static async Task<byte[]> PeerReceiveAsync(Socket peer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[2048];
        var result = await peer.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return buffer[..result.ReceivedBytes];
    }
}
