using System.Buffers;
using System.Threading.Channels;

namespace Turn.Relay.Transports;

/// <summary>
/// What a stream client's sends wait in until <see cref="StreamWriteLoop"/> writes them: pooled
/// buffers in a channel, bounded in bytes (1 MB, overshot by at most one joined batch of 64 KB), so
/// a slow reader loses data instead of growing the server's memory or slowing other clients.
/// Also decides who writes to the socket: an inline sender (the Linux path) or the write loop, one
/// at a time, by one compare-and-swap; an inline send's unsent tail is handed over here and written
/// before anything queued later.
/// </summary>
internal sealed class StreamSendQueue
{
    /// <summary>The bound on queued bytes per connection.</summary>
    public const int MaxQueuedBytes = 1024 * 1024;

    // Queued to wake the write loop for a handed-over tail; never returned to the pool.
    private static readonly byte[] s_wake = [];

    // Many writers (the engine's loops), one reader (the write loop). The single-reader unbounded
    // channel's waits allocate nothing, but TryWrite is not lock-free: it takes the channel's
    // internal lock briefly to enqueue (and to pick a waiting reader). Bounded by _queuedBytes.
    private readonly Channel<(byte[] Buffer, int Length)> _channel =
        Channel.CreateUnbounded<(byte[] Buffer, int Length)>(new UnboundedChannelOptions { SingleReader = true });
    private int _queuedBytes;
    // 1 while one thread writes to the socket: an inline sender or the write loop.
    private int _writer;
    // The unsent tail of an inline send; written first by the write loop (guarded by _writer).
    private byte[]? _tail;
    private int _tailLength;

    /// <summary>True when <paramref name="bytes"/> more would stay within the bound.</summary>
    public bool HasRoomFor(int bytes) => Volatile.Read(ref _queuedBytes) + bytes <= MaxQueuedBytes;

    /// <summary>
    /// Becomes the socket's writer when nothing is queued and nobody writes: the caller may then
    /// write directly (and must <see cref="ExitWriter"/> or <see cref="HandOverTail"/>). Never waits.
    /// </summary>
    public bool TryEnterInlineWriter()
    {
        if (Volatile.Read(ref _queuedBytes) != 0 || Interlocked.CompareExchange(ref _writer, 1, 0) != 0) return false;
        // Re-checked as the writer: nothing queued means nothing may go out before this message.
        if (Volatile.Read(ref _queuedBytes) == 0) return true;
        Volatile.Write(ref _writer, 0);
        return false;
    }

    /// <summary>Gives up the socket. Messages queued meanwhile already woke the write loop; it takes the socket next.</summary>
    public void ExitWriter() => Volatile.Write(ref _writer, 0);

    /// <summary>
    /// Called as the writer after a partial inline send: <paramref name="tail"/> waits for the write
    /// loop, ahead of everything queued after it; the socket is given up.
    /// </summary>
    public void HandOverTail(ReadOnlySpan<byte> tail)
    {
        Interlocked.Add(ref _queuedBytes, tail.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(tail.Length);
        tail.CopyTo(buffer);
        _tail = buffer;
        _tailLength = tail.Length;
        Volatile.Write(ref _writer, 0);
        _channel.Writer.TryWrite((s_wake, 0));
    }

    /// <summary>
    /// Queues <paramref name="message"/> padded with zeros to <paramref name="length"/>; false when the
    /// bound is reached or the queue is completed. <paramref name="bounded"/> false for frames already
    /// admitted against the bound (a joined batch): they may overshoot it by one batch rather than be
    /// lost uncounted.
    /// </summary>
    public bool Enqueue(ReadOnlySpan<byte> message, int length, bool bounded)
    {
        if (Interlocked.Add(ref _queuedBytes, length) > MaxQueuedBytes && bounded)
        {
            Interlocked.Add(ref _queuedBytes, -length);
            return false;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        message.CopyTo(buffer);
        buffer.AsSpan(message.Length, length - message.Length).Clear();
        if (_channel.Writer.TryWrite((buffer, length))) return true;
        Interlocked.Add(ref _queuedBytes, -length);
        ArrayPool<byte>.Shared.Return(buffer);
        return false;
    }

    /// <summary>No more messages: the write loop ends once it wakes.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    // The write loop's side.

    /// <summary>Waits until a message (or a handed-over tail) is there; false once completed and empty.</summary>
    public ValueTask<bool> WaitToReadAsync() => _channel.Reader.WaitToReadAsync();

    /// <summary>Takes the socket from an inline sender (a non-blocking call: a short wait at most).</summary>
    public void EnterWriter()
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _writer, 1, 0) != 0) spin.SpinOnce();
    }

    /// <summary>As the writer: the handed-over tail, no longer counted as queued; the caller returns it to the pool.</summary>
    public bool TryTakeTail(out byte[] buffer, out int length)
    {
        buffer = _tail!;
        length = _tailLength;
        if (buffer is null) return false;
        _tail = null;
        Interlocked.Add(ref _queuedBytes, -length);
        return true;
    }

    /// <summary>The next queued message, still counted until <see cref="Release"/>; wake-ups are skipped.</summary>
    public bool TryRead(out (byte[] Buffer, int Length) item)
    {
        while (_channel.Reader.TryRead(out item))
        {
            if (!ReferenceEquals(item.Buffer, s_wake)) return true;
        }
        return false;
    }

    /// <summary>A message taken by <see cref="TryRead"/> is written (or being written): no longer counted.</summary>
    public void Release(int length) => Interlocked.Add(ref _queuedBytes, -length);

    /// <summary>Returns a buffer taken from this queue to the pool.</summary>
    public static void Return(byte[]? buffer)
    {
        if (buffer is not null && !ReferenceEquals(buffer, s_wake)) ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>
    /// After the write loop has ended: returns what is still queued, and keeps the socket's writer
    /// role for good so no inline send starts after the connection is gone.
    /// </summary>
    public void Drain()
    {
        while (_channel.Reader.TryRead(out var item)) Return(item.Buffer);
        if (Interlocked.CompareExchange(ref _writer, 1, 0) == 0 && _tail is { } tail)
        {
            _tail = null;
            ArrayPool<byte>.Shared.Return(tail);
        }
    }
}
