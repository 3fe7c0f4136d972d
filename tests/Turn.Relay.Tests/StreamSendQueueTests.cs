using Turn.Relay.Transports;

namespace Turn.Relay.Tests;

/// <summary>The stream send queue on its own: its byte bound, its padding, and who may write to the socket.</summary>
public sealed class StreamSendQueueTests
{
    [Fact]
    public void Enqueue_BeyondTheBound_IsRefused_ButAnAdmittedBatchMayOvershoot()
    {
        var queue = new StreamSendQueue();
        var chunk = new byte[64 * 1024];
        for (var i = 0; i < StreamSendQueue.MaxQueuedBytes / chunk.Length; i++) Assert.True(queue.Enqueue(chunk, chunk.Length, bounded: true));

        Assert.False(queue.HasRoomFor(1));
        Assert.False(queue.Enqueue([1], 1, bounded: true));
        // A joined batch was admitted frame by frame as it filled: its flush is never refused.
        Assert.True(queue.Enqueue(chunk, chunk.Length, bounded: false));

        // Released as the write loop takes messages: room again.
        while (queue.TryRead(out var item))
        {
            queue.Release(item.Length);
            StreamSendQueue.Return(item.Buffer);
        }
        Assert.True(queue.HasRoomFor(StreamSendQueue.MaxQueuedBytes));
    }

    [Fact]
    public void Enqueue_PadsTheMessageWithZeros()
    {
        var queue = new StreamSendQueue();
        Assert.True(queue.Enqueue([0x40, 0x01, 0x00, 0x01, 7], 8, bounded: true));

        Assert.True(queue.TryRead(out var item));
        Assert.Equal(8, item.Length);
        Assert.Equal(new byte[] { 0x40, 0x01, 0x00, 0x01, 7, 0, 0, 0 }, item.Buffer[..8]);
        StreamSendQueue.Return(item.Buffer);
    }

    [Fact]
    public void TryEnterInlineWriter_OnlyWhenNothingIsQueuedAndNobodyWrites()
    {
        var queue = new StreamSendQueue();
        Assert.True(queue.TryEnterInlineWriter());
        // One writer at a time.
        Assert.False(queue.TryEnterInlineWriter());
        queue.ExitWriter();
        Assert.True(queue.TryEnterInlineWriter());
        queue.ExitWriter();

        // Something queued goes first: no inline send may overtake it.
        Assert.True(queue.Enqueue([1, 2, 3, 4], 4, bounded: true));
        Assert.False(queue.TryEnterInlineWriter());
    }

    [Fact]
    public void HandOverTail_CountsAgainstTheBound_UntilTheWriteLoopTakesIt()
    {
        var queue = new StreamSendQueue();
        Assert.True(queue.TryEnterInlineWriter());
        queue.HandOverTail(new byte[1000]);

        // The writer role was given up, but the tail keeps inline sends out until it is written.
        Assert.False(queue.TryEnterInlineWriter());
        Assert.False(queue.HasRoomFor(StreamSendQueue.MaxQueuedBytes - 999));
        // Only a wake-up was queued: nothing for TryRead.
        Assert.False(queue.TryRead(out _));

        queue.EnterWriter();
        Assert.True(queue.TryTakeTail(out var tail, out var length));
        Assert.Equal(1000, length);
        StreamSendQueue.Return(tail);
        Assert.False(queue.TryTakeTail(out _, out _));
        queue.ExitWriter();
        Assert.True(queue.HasRoomFor(StreamSendQueue.MaxQueuedBytes));
        Assert.True(queue.TryEnterInlineWriter());
    }

    [Fact]
    public void Complete_RefusesLaterMessages_AndDrainKeepsInlineSendsOut()
    {
        var queue = new StreamSendQueue();
        Assert.True(queue.Enqueue([1, 2, 3, 4], 4, bounded: true));
        queue.Complete();
        Assert.False(queue.Enqueue([5, 6, 7, 8], 4, bounded: true));

        queue.Drain();
        Assert.False(queue.TryRead(out _));
        Assert.False(queue.TryEnterInlineWriter());
    }
}
