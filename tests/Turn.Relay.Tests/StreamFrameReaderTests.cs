using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Turn.Protocol;
using Turn.Relay.Tests.Support;
using Turn.Relay.Transports;

namespace Turn.Relay.Tests;

/// <summary>Cutting a stream client's bytes into frames, whichever I/O model reads them.</summary>
public sealed class StreamFrameReaderTests
{
    [Fact]
    public void OnReceived_FramesSplitAcrossReads_AreHandledWholeInOrder_WithoutChannelDataPadding()
    {
        var time = new FakeTimeProvider();
        var handler = new RecordingHandler { Allocated = true };
        var reader = Reader(handler, time);
        var stun = BindingRequest();
        byte[] channelData = [0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0];
        byte[] stream = [.. stun, .. channelData, .. stun];
        var start = reader.LastProgress;
        time.Advance(TimeSpan.FromSeconds(1));

        // Three bytes at a time: every frame boundary falls inside some read.
        for (var offset = 0; offset < stream.Length; offset += 3)
        {
            var chunk = stream.AsSpan(offset, Math.Min(3, stream.Length - offset));
            chunk.CopyTo(reader.FreeSpace.Span);
            Assert.True(reader.OnReceived(chunk.Length));
            Assert.Equal(offset + chunk.Length != stream.Length, reader.HasPartialFrame);
        }
        reader.ReturnBuffer();

        Assert.Equal(3, handler.Messages.Count);
        Assert.Equal(stun, handler.Messages[0]);
        Assert.Equal(channelData[..9], handler.Messages[1]);
        Assert.Equal(stun, handler.Messages[2]);
        Assert.True(reader.LastProgress > start);
    }

    [Fact]
    public void OnReceived_IncompleteFrame_DoesNotCountAsProgress()
    {
        var time = new FakeTimeProvider();
        var reader = Reader(new RecordingHandler(), time);
        var start = reader.LastProgress;
        time.Advance(TimeSpan.FromSeconds(1));

        BindingRequest().AsSpan(0, 10).CopyTo(reader.FreeSpace.Span);
        Assert.True(reader.OnReceived(10));

        Assert.True(reader.HasPartialFrame);
        Assert.Equal(start, reader.LastProgress);
        reader.ReturnBuffer();
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0x00, 0x00, 0x00 })]                     // neither STUN nor ChannelData
    [InlineData(new byte[] { 0x47, 0x45, 0x54, 0x20, 0x2F, 0x20, 0x48, 0x54 })] // "GET / HT": ChannelData before any allocation
    public void OnReceived_NotTurn_EndsTheConnection(byte[] garbage)
    {
        var handler = new RecordingHandler();
        var reader = Reader(handler, new FakeTimeProvider());

        garbage.CopyTo(reader.FreeSpace.Span);
        Assert.False(reader.OnReceived(garbage.Length));

        Assert.Empty(handler.Messages);
        reader.ReturnBuffer();
    }

    [Fact]
    public void OnReceived_HandlerThrows_EndsTheConnection()
    {
        var reader = Reader(new RecordingHandler { Throws = true }, new FakeTimeProvider());
        var stun = BindingRequest();

        stun.CopyTo(reader.FreeSpace.Span);
        Assert.False(reader.OnReceived(stun.Length));
        reader.ReturnBuffer();
    }

    private static StreamFrameReader Reader(RecordingHandler handler, TimeProvider time)
    {
        var connection = new TestStreamConnection(
            TransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, 40000)),
            TransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, 3478)));
        var reader = new StreamFrameReader(connection, handler, time, NullLogger.Instance);
        reader.RentBuffer();
        return reader;
    }

    private static byte[] BindingRequest()
    {
        var buffer = new byte[64];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Binding, StunClass.Request, TransactionId.NewRandom());
        writer.WriteFingerprint();
        return buffer[..writer.Length];
    }

    private sealed class RecordingHandler : IClientMessageHandler
    {
        public List<byte[]> Messages { get; } = [];

        public bool Allocated { get; init; }

        public bool Throws { get; init; }

        public void OnDatagram(IDatagramEndpoint endpoint, in TransportAddress remote, ReadOnlySpan<byte> data)
        {
        }

        public void OnStreamMessage(ClientConnection connection, ReadOnlySpan<byte> message)
        {
            if (Throws) throw new InvalidOperationException("A bug in the handler.");
            Messages.Add(message.ToArray());
        }

        public bool HasAllocation(ClientConnection connection) => Allocated;

        public void OnStreamClosed(ClientConnection connection)
        {
        }
    }
}
