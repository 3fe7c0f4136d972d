using System.Buffers;
using System.Buffers.Binary;
using System.Threading.Channels;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Transports.Linux;

namespace Turn.Relay.Transports;

/// <summary>
/// One TCP or TLS client. A read loop cuts the byte stream into STUN and ChannelData frames in a
/// bounded buffer; a write loop drains a lock-free channel of pooled buffers, coalescing small
/// messages into one write. The queue is bounded in bytes (1 MB, overshot by at most one joined
/// batch of 64 KB): a slow reader loses data, it never grows the server's memory or slows other clients.
/// Plain TCP on Linux (with the event loops) reads on a <see cref="SocketEventLoop"/> thread
/// (non-blocking recv, frames handled right there), and first tries to send inline: when nothing is
/// queued and nobody is writing, a non-blocking send(2) from the caller's thread, with no copy, no
/// queue and no thread hop; what the kernel does not take is handed to the write loop, ahead of
/// anything queued later.
/// </summary>
internal sealed partial class StreamClientConnection : ClientConnection, IStreamEventTarget, IDisposable
{
    // Queued to wake the write loop for a handed-over remainder; never returned to the pool.
    private static readonly byte[] s_wake = [];

    [ThreadStatic] private static byte[]? t_padded;

    // The largest frame: a STUN message of the maximum length. ChannelData is at most 4 + 65535 + 3.
    private const int ReceiveBufferSize = StunConstants.MaxMessageLength + 4;
    private const int MaxQueuedBytes = 1024 * 1024;
    private const int WriteBatchSize = 64 * 1024;
    private const int StreamReadChunk = 16 * 1024;

    private readonly Stream _stream;
    private readonly Socket _socket;
    private readonly IClientMessageHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    // Many writers (the engine's loops), one reader (the write loop): the single-consumer
    // unbounded channel is lock-free and its waits allocate nothing. Bounded by _queuedBytes.
    private readonly Channel<(byte[] Buffer, int Length)> _queue =
        Channel.CreateUnbounded<(byte[] Buffer, int Length)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private readonly bool _coalesce;
    private readonly SafeSocketHandle? _inlineHandle;
    private readonly SocketEventLoopGroup? _loops;
    // Event-loop reading: the buffer, its fill, and the end of reading (EOF, error, garbage, Close).
    private byte[]? _readBuffer;
    private int _readFilled;
    private TaskCompletionSource? _readEnded;
    private SocketEventRegistration? _registration;
    // Set on the loop thread when reading is over: later wake-ups (level-triggered, the socket stays
    // readable at EOF) return at once until the registration is gone.
    private volatile bool _readDone;
    // 1 while OnReadable runs on the loop thread, 2 once reading is over for good.
    private int _reading;
    private int _queuedBytes;
    // 1 while one thread writes to the socket: an inline sender or the write loop.
    private int _writer;
    // The unsent tail of an inline send; written first by the write loop (guarded by _writer).
    private byte[]? _remainder;
    private int _remainderLength;
    // 0 open, 1 closing, 2 closed: Dispose waits for a Close running on another thread.
    private int _state;
    private int _disposed;

    public StreamClientConnection(RelayTransport transport, Socket socket, Stream stream, TransportAddress remote, TransportAddress local,
        IClientMessageHandler handler, TimeProvider time, ILogger logger, SocketEventLoopGroup? loops = null)
        : base(transport, remote, local, NewLocalId())
    {
        _socket = socket;
        if (loops is { IsEnabled: true } && transport == RelayTransport.Tcp)
        {
            _loops = loops;
            _inlineHandle = socket.SafeHandle;
        }
        _stream = stream;
        _handler = handler;
        _time = time;
        _logger = logger;
        LastProgress = time.GetTimestamp();
        // Over TLS each message gets its own record: coturn's turnutils_uclient (and possibly other
        // clients) reads one message per TLS record and loses the rest. Plain TCP coalesces writes.
        _coalesce = transport == RelayTransport.Tcp;
    }

    /// <summary>Timestamp of the last complete frame (or of the connect); read by the idle sweep.</summary>
    public long LastProgress { get; private set; }

    /// <summary>True while bytes of an incomplete frame wait in the buffer.</summary>
    public bool HasPartialFrame { get; private set; }

    public bool IsClosed => Volatile.Read(ref _state) != 0;

    public override bool Send(ReadOnlySpan<byte> message)
    {
        if (IsClosed) return false;
        // ChannelData over a stream is padded to a multiple of 4 (RFC 8656 section 12.5).
        var length = message.Length;
        if (length > 0 && (message[0] & 0xC0) == 0x40) length = (length + 3) & ~3;
        // On an event-loop thread handling a batch of datagrams: joined to the others for this client.
        if (_inlineHandle is not null && StreamSendBatch.TryAppend(this, message, length, out var accepted)) return accepted;
        return SendPadded(message, length);
    }

    /// <summary>True when <paramref name="bytes"/> more would stay within the queue's bound.</summary>
    internal bool HasRoomFor(int bytes) => Volatile.Read(ref _queuedBytes) + bytes <= MaxQueuedBytes;

    /// <summary>
    /// Sends <paramref name="message"/> padded with zeros to <paramref name="length"/>: inline when it can, else queued.
    /// <paramref name="bounded"/> false for frames already admitted against the bound (a joined batch): they may
    /// overshoot it by one batch rather than be lost uncounted.
    /// </summary>
    internal bool SendPadded(ReadOnlySpan<byte> message, int length, bool bounded = true)
    {
        if (IsClosed) return false;
        if (_inlineHandle is not null && Volatile.Read(ref _queuedBytes) == 0
            && Interlocked.CompareExchange(ref _writer, 1, 0) == 0)
        {
            // Re-checked as the writer: nothing queued means nothing may go out before this message.
            if (Volatile.Read(ref _queuedBytes) == 0) return SendInline(message, length);
            Volatile.Write(ref _writer, 0);
        }
        if (Interlocked.Add(ref _queuedBytes, length) > MaxQueuedBytes && bounded)
        {
            Interlocked.Add(ref _queuedBytes, -length);
            return false;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        message.CopyTo(buffer);
        buffer.AsSpan(message.Length, length - message.Length).Clear();
        if (_queue.Writer.TryWrite((buffer, length))) return true;
        Interlocked.Add(ref _queuedBytes, -length);
        ArrayPool<byte>.Shared.Return(buffer);
        return false;
    }

    // Called holding _writer. Sends what the kernel takes now; the rest goes to the write loop.
    private bool SendInline(ReadOnlySpan<byte> message, int length)
    {
        if (length != message.Length)
        {
            var padded = t_padded ??= new byte[ChannelData.HeaderLength + ushort.MaxValue + 3];
            message.CopyTo(padded);
            padded.AsSpan(message.Length, length - message.Length).Clear();
            message = padded.AsSpan(0, length);
        }
        var sent = SendNonBlocking(message);
        if (sent == length)
        {
            // Messages queued meanwhile already woke the write loop; it takes _writer next.
            Volatile.Write(ref _writer, 0);
            return true;
        }
        if (sent < 0)
        {
            Volatile.Write(ref _writer, 0);
            Close();
            return false;
        }
        // A full socket buffer: the tail waits for the write loop, ahead of everything queued after it.
        var rest = length - sent;
        Interlocked.Add(ref _queuedBytes, rest);
        var buffer = ArrayPool<byte>.Shared.Rent(rest);
        message[sent..].CopyTo(buffer);
        _remainder = buffer;
        _remainderLength = rest;
        Volatile.Write(ref _writer, 0);
        _queue.Writer.TryWrite((s_wake, 0));
        return true;
    }

    // Bytes the kernel took (0 when its buffer is full), or -1 when the connection failed.
    private unsafe int SendNonBlocking(ReadOnlySpan<byte> data)
    {
        var added = false;
        try
        {
            _inlineHandle!.DangerousAddRef(ref added);
            fixed (byte* pointer = data)
            {
                var sent = LinuxSocketCalls.Send((int)_inlineHandle.DangerousGetHandle(), pointer, (nuint)data.Length,
                    LinuxSocketCalls.MsgDontWait | LinuxSocketCalls.MsgNoSignal);
                if (sent >= 0) return (int)sent;
                var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                return error is LinuxSocketCalls.EAgain or LinuxSocketCalls.EIntr ? 0 : -1;
            }
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (added) _inlineHandle!.DangerousRelease();
        }
    }

    public override void Close()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) return;
        try
        {
            _closed.Cancel();
            _queue.Writer.TryComplete();
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already reset by the peer.
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }
            _stream.Dispose();
            _socket.Dispose();
        }
        finally
        {
            Volatile.Write(ref _state, 2);
        }
    }

    public async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        try
        {
            if (_loops is not null) await ReadOnEventLoopAsync(_loops).ConfigureAwait(false);
            else await ReadLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            Close();
            await writer.ConfigureAwait(false);
            _handler.OnStreamClosed(this);
            while (_queue.Reader.TryRead(out var item)) ReturnBuffer(item.Buffer);
            if (Interlocked.CompareExchange(ref _writer, 1, 0) == 0 && _remainder is { } remainder)
            {
                _remainder = null;
                ArrayPool<byte>.Shared.Return(remainder);
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {
            var filled = 0;
            var token = _closed.Token;
            while (!token.IsCancellationRequested)
            {
                int read;
                try
                {
                    read = await _stream.ReadAsync(buffer.AsMemory(filled, ReceiveBufferSize - filled), token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    return;
                }
                if (read == 0) return;
                filled += read;
                if (!HandleFrames(buffer, ref filled)) return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Plain TCP on an event loop: the loop calls OnReadable; this waits until reading ends.
    private async Task ReadOnEventLoopAsync(SocketEventLoopGroup loops)
    {
        _readBuffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        _readEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // Close (from any thread) ends the read as well.
            using var closing = _closed.Token.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), _readEnded);
            Volatile.Write(ref _registration, loops.Register(_socket, this));
            await _readEnded.Task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Could not register (the socket closed, or the relay is stopping): the connection ends.
        }
        finally
        {
            Volatile.Read(ref _registration)?.Dispose();
            // Wait out an OnReadable still running on the loop thread, then keep it out for good.
            var spin = new SpinWait();
            while (Interlocked.CompareExchange(ref _reading, 2, 0) == 1) spin.SpinOnce();
            ArrayPool<byte>.Shared.Return(_readBuffer);
        }
    }

    void IStreamEventTarget.OnReadable()
    {
        if (_readDone || Interlocked.CompareExchange(ref _reading, 1, 0) != 0) return;
        try
        {
            ReadAvailable();
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    private void ReadAvailable()
    {
        // One read of at most StreamReadChunk, then the loop serves its other sockets (level-
        // triggered: the rest comes next round). A saturating client thus cannot crowd out the
        // peers' datagrams coming back: work is dropped early (in its socket) rather than late.
        while (!IsClosed)
        {
            var read = ReceiveNonBlocking(out var error);
            if (read < 0)
            {
                if (error == LinuxSocketCalls.EIntr) continue;
                if (error != LinuxSocketCalls.EAgain) EndReading();
                return;
            }
            if (read == 0 || !HandleFrames(_readBuffer!, ref _readFilled, read)) EndReading();
            return;
        }
        EndReading();
    }

    // On the loop thread: leaves the loop at once (the socket may stay readable until the thread
    // pool gets to the rest of the close), then lets RunAsync finish the connection.
    private void EndReading()
    {
        _readDone = true;
        Volatile.Read(ref _registration)?.Dispose();
        _readEnded!.TrySetResult();
    }

    // Bytes read, 0 at the end of the stream, or -1 with the errno (a closed socket counts as an
    // error). The descriptor is referenced for the call only: the frames are handled after it is
    // released, because handling may close this connection (a failed send does), and
    // Socket.Dispose on this thread would wait forever for a reference this thread still held.
    private unsafe int ReceiveNonBlocking(out int error)
    {
        var handle = _inlineHandle!;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var room = Math.Min(ReceiveBufferSize - _readFilled, StreamReadChunk);
            nint read;
            fixed (byte* pointer = &_readBuffer![_readFilled])
            {
                read = LinuxSocketCalls.RecvFrom((int)handle.DangerousGetHandle(), pointer, (nuint)room, LinuxSocketCalls.MsgDontWait, null, null);
            }
            error = read < 0 ? System.Runtime.InteropServices.Marshal.GetLastPInvokeError() : 0;
            return (int)read;
        }
        catch (ObjectDisposedException)
        {
            error = -1;
            return -1;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private bool HandleFrames(byte[] buffer, ref int filled, int read)
    {
        filled += read;
        return HandleFrames(buffer, ref filled);
    }

    // Cuts complete frames off the front of the buffer and handles them; false ends the connection.
    private bool HandleFrames(byte[] buffer, ref int filled)
    {
        var consumed = 0;
        while (true)
        {
            var status = StreamFraming.TryGetFrameLength(buffer.AsSpan(consumed, filled - consumed), out var kind, out var frame);
            if (status == StreamFrameStatus.Invalid)
            {
                // Neither STUN nor ChannelData: the stream cannot be resynchronised.
                LogGarbage(_logger, Remote.ToString());
                return false;
            }
            // ChannelData before any allocation is not TURN (an HTTP "GET" looks like channel 0x4745).
            if (status == StreamFrameStatus.Frame && kind == PacketKind.ChannelData && !_handler.HasAllocation(this))
            {
                LogGarbage(_logger, Remote.ToString());
                return false;
            }
            if (status == StreamFrameStatus.NeedMoreData || frame > filled - consumed) break;
            var message = buffer.AsSpan(consumed, frame);
            consumed += frame;
            LastProgress = _time.GetTimestamp();
            // ChannelData's padding belongs to the frame but not to the message.
            if (kind == PacketKind.ChannelData) message = message[..(ChannelData.HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(message[2..]))];
            try
            {
                _handler.OnStreamMessage(this, message);
            }
            catch (Exception ex)
            {
                // A bug in handling one message closes this connection only.
                LogHandlerFailed(_logger, Remote.ToString(), ex);
                return false;
            }
        }
        if (consumed > 0)
        {
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }
        HasPartialFrame = filled > 0;
        return true;
    }

    private async Task WriteLoopAsync()
    {
        var batch = ArrayPool<byte>.Shared.Rent(WriteBatchSize);
        (byte[] Buffer, int Length) carried = default;
        try
        {
            while (carried.Buffer is not null || await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // Take the socket from an inline sender (a non-blocking call: a short wait at most).
                var spin = new SpinWait();
                while (Interlocked.CompareExchange(ref _writer, 1, 0) != 0) spin.SpinOnce();
                try
                {
                    if (_remainder is { } remainder)
                    {
                        var remainderLength = _remainderLength;
                        _remainder = null;
                        Interlocked.Add(ref _queuedBytes, -remainderLength);
                        var written = await WriteAsync(remainder.AsMemory(0, remainderLength)).ConfigureAwait(false);
                        ArrayPool<byte>.Shared.Return(remainder);
                        if (!written) return;
                    }
                    var length = 0;
                    while (length < WriteBatchSize)
                    {
                        var item = carried;
                        carried = default;
                        if (item.Buffer is null && !_queue.Reader.TryRead(out item)) break;
                        if (ReferenceEquals(item.Buffer, s_wake)) continue;
                        if (length > 0 && (length + item.Length > WriteBatchSize || !_coalesce))
                        {
                            carried = item; // goes first in the next write
                            break;
                        }
                        Interlocked.Add(ref _queuedBytes, -item.Length);
                        if (item.Length > WriteBatchSize)
                        {
                            // A large STUN message: written on its own.
                            var ok = await WriteAsync(item.Buffer.AsMemory(0, item.Length)).ConfigureAwait(false);
                            ArrayPool<byte>.Shared.Return(item.Buffer);
                            if (!ok) return;
                            break;
                        }
                        item.Buffer.AsSpan(0, item.Length).CopyTo(batch.AsSpan(length));
                        length += item.Length;
                        ArrayPool<byte>.Shared.Return(item.Buffer);
                    }
                    if (length > 0 && !await WriteAsync(batch.AsMemory(0, length)).ConfigureAwait(false)) return;
                }
                finally
                {
                    Volatile.Write(ref _writer, 0);
                }
            }
        }
        finally
        {
            ReturnBuffer(carried.Buffer);
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    private async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> data)
    {
        try
        {
            await _stream.WriteAsync(data, _closed.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close();
            return false;
        }
    }

    private static void ReturnBuffer(byte[]? buffer)
    {
        if (buffer is not null && !ReferenceEquals(buffer, s_wake)) ArrayPool<byte>.Shared.Return(buffer);
    }

    public void Dispose()
    {
        Close();
        // Close may still be running on another thread (the idle sweep, the engine deleting the
        // allocation): its Cancel must not meet a disposed token source.
        var spin = new SpinWait();
        while (Volatile.Read(ref _state) != 2) spin.SpinOnce();
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _closed.Dispose();
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Closed stream client {Remote}: not STUN or ChannelData")]
    private static partial void LogGarbage(ILogger logger, string remote);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Handling a message from stream client {Remote} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string remote, Exception exception);
}
