using System.Buffers;
using System.Buffers.Binary;
using System.Threading.Channels;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports;

/// <summary>
/// One TCP or TLS client. A read loop cuts the byte stream into STUN and ChannelData frames in a
/// bounded buffer; a write loop drains a lock-free channel of pooled buffers, coalescing small
/// messages into one write. The queue is bounded in bytes: a slow reader loses data, it never
/// grows the server's memory or slows other clients.
/// </summary>
internal sealed partial class StreamClientConnection : ClientConnection, IDisposable
{
    // The largest frame: a STUN message of the maximum length. ChannelData is at most 4 + 65535 + 3.
    private const int ReceiveBufferSize = StunConstants.MaxMessageLength + 4;
    private const int MaxQueuedBytes = 1024 * 1024;
    private const int WriteBatchSize = 64 * 1024;

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
    private int _queuedBytes;
    private int _closing;

    public StreamClientConnection(RelayTransport transport, Socket socket, Stream stream, TransportAddress remote, TransportAddress local,
        IClientMessageHandler handler, TimeProvider time, ILogger logger)
        : base(transport, remote, local, NewLocalId())
    {
        _socket = socket;
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

    public bool IsClosed => Volatile.Read(ref _closing) != 0;

    public override bool Send(ReadOnlySpan<byte> message)
    {
        if (IsClosed) return false;
        // ChannelData over a stream is padded to a multiple of 4 (RFC 8656 section 12.5).
        var length = message.Length;
        if (length > 0 && (message[0] & 0xC0) == 0x40) length = (length + 3) & ~3;
        if (Interlocked.Add(ref _queuedBytes, length) > MaxQueuedBytes)
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

    public override void Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
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

    public async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            Close();
            await writer.ConfigureAwait(false);
            _handler.OnStreamClosed(this);
            while (_queue.Reader.TryRead(out var item)) ArrayPool<byte>.Shared.Return(item.Buffer);
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
                var consumed = 0;
                while (true)
                {
                    var status = StreamFraming.TryGetFrameLength(buffer.AsSpan(consumed, filled - consumed), out var kind, out var frame);
                    if (status == StreamFrameStatus.Invalid)
                    {
                        // Neither STUN nor ChannelData: the stream cannot be resynchronised.
                        LogGarbage(_logger, Remote.ToString());
                        return;
                    }
                    // ChannelData before any allocation is not TURN (an HTTP "GET" looks like channel 0x4745).
                    if (status == StreamFrameStatus.Frame && kind == PacketKind.ChannelData && !_handler.HasAllocation(this))
                    {
                        LogGarbage(_logger, Remote.ToString());
                        return;
                    }
                    if (status == StreamFrameStatus.NeedMoreData || frame > filled - consumed) break;
                    var message = buffer.AsSpan(consumed, frame);
                    consumed += frame;
                    LastProgress = _time.GetTimestamp();
                    // ChannelData's padding belongs to the frame but not to the message.
                    if (kind == PacketKind.ChannelData) message = message[..(ChannelData.HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(message[2..]))];
                    _handler.OnStreamMessage(this, message);
                }
                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
                HasPartialFrame = filled > 0;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = ArrayPool<byte>.Shared.Rent(WriteBatchSize);
        (byte[] Buffer, int Length) carried = default;
        try
        {
            while (carried.Buffer is not null || await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var length = 0;
                while (length < WriteBatchSize)
                {
                    var item = carried;
                    carried = default;
                    if (item.Buffer is null && !_queue.Reader.TryRead(out item)) break;
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
        }
        finally
        {
            if (carried.Buffer is not null) ArrayPool<byte>.Shared.Return(carried.Buffer);
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

    public void Dispose()
    {
        Close();
        _closed.Dispose();
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Closed stream client {Remote}: not STUN or ChannelData")]
    private static partial void LogGarbage(ILogger logger, string remote);
}
