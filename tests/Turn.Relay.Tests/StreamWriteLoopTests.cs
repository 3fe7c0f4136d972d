using System.Net;
using Turn.Protocol;
using Turn.Relay.Tests.Support;
using Turn.Relay.Transports;

namespace Turn.Relay.Tests;

/// <summary>The write loop over an in-memory stream: what goes out in which write, and in what order.</summary>
public sealed class StreamWriteLoopTests
{
    [Fact]
    public async Task RunAsync_Coalescing_WritesAnInlineTailFirst_ThenTheQueueJoined()
    {
        var queue = new StreamSendQueue();
        Assert.True(queue.TryEnterInlineWriter());
        queue.HandOverTail([9, 9]);
        Assert.True(queue.Enqueue([1, 2, 3, 4], 4, bounded: true));
        Assert.True(queue.Enqueue([5, 6, 7, 8], 4, bounded: true));
        queue.Complete();
        var stream = new RecordingStream();

        await StreamWriteLoop.RunAsync(queue, stream, coalesce: true, Connection(), CancellationToken.None);

        Assert.Equal(2, stream.Writes.Count);
        Assert.Equal(new byte[] { 9, 9 }, stream.Writes[0]);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, stream.Writes[1]);
        Assert.True(queue.HasRoomFor(StreamSendQueue.MaxQueuedBytes));
    }

    [Fact]
    public async Task RunAsync_WithoutCoalescing_WritesEachMessageOnItsOwn()
    {
        // TLS: one message per record.
        var queue = new StreamSendQueue();
        Assert.True(queue.Enqueue([1, 2, 3, 4], 4, bounded: true));
        Assert.True(queue.Enqueue([5, 6, 7, 8], 4, bounded: true));
        queue.Complete();
        var stream = new RecordingStream();

        await StreamWriteLoop.RunAsync(queue, stream, coalesce: false, Connection(), CancellationToken.None);

        Assert.Equal([[1, 2, 3, 4], [5, 6, 7, 8]], stream.Writes);
    }

    [Fact]
    public async Task RunAsync_LargeMessage_IsWrittenAlone_InOrder()
    {
        var queue = new StreamSendQueue();
        var large = new byte[70_000];
        large[0] = 0x01;
        Assert.True(queue.Enqueue([1, 2, 3, 4], 4, bounded: true));
        Assert.True(queue.Enqueue(large, large.Length, bounded: true));
        Assert.True(queue.Enqueue([5, 6, 7, 8], 4, bounded: true));
        queue.Complete();
        var stream = new RecordingStream();

        await StreamWriteLoop.RunAsync(queue, stream, coalesce: true, Connection(), CancellationToken.None);

        Assert.Equal(3, stream.Writes.Count);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, stream.Writes[0]);
        Assert.Equal(large, stream.Writes[1]);
        Assert.Equal(new byte[] { 5, 6, 7, 8 }, stream.Writes[2]);
    }

    [Fact]
    public async Task RunAsync_WriteFails_ClosesTheConnectionAndEnds()
    {
        var queue = new StreamSendQueue();
        Assert.True(queue.Enqueue([1, 2, 3, 4], 4, bounded: true));
        var connection = Connection();

        // Not completed: only the failure ends the loop.
        await StreamWriteLoop.RunAsync(queue, new RecordingStream { Fail = true }, coalesce: true, connection, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(connection.Closed);
    }

    private static TestStreamConnection Connection() => new(
        TransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, 40000)),
        TransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, 3478)));

    private sealed class RecordingStream : Stream
    {
        public List<byte[]> Writes { get; } = [];

        public bool Fail { get; init; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Fail) throw new IOException("Connection reset.");
            Writes.Add(buffer.ToArray());
            return ValueTask.CompletedTask;
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
