using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>
/// Cuts a stream client's bytes into STUN and ChannelData frames in one bounded buffer and hands
/// each whole frame to the engine. Whichever I/O model reads the socket fills <see cref="FreeSpace"/>
/// and calls <see cref="OnReceived"/> (one reader at a time). Tracks progress for the idle sweep.
/// </summary>
internal sealed partial class StreamFrameReader(ClientConnection connection, IClientMessageHandler handler, TimeProvider time, ILogger logger)
{
    // The largest frame: a STUN message of the maximum length. ChannelData is at most 4 + 65535 + 3.
    private const int BufferSize = StunConstants.MaxMessageLength + 4;

    private byte[]? _buffer;
    private int _filled;

    /// <summary>Timestamp of the last complete frame (or of the connect); read by the idle sweep.</summary>
    public long LastProgress { get; private set; } = time.GetTimestamp();

    /// <summary>True while bytes of an incomplete frame wait in the buffer.</summary>
    public bool HasPartialFrame { get; private set; }

    /// <summary>Where the next bytes read go (empty before <see cref="RentBuffer"/>).</summary>
    public Memory<byte> FreeSpace => _buffer is null ? default : _buffer.AsMemory(_filled, BufferSize - _filled);

    /// <summary>True while the reader holds a buffer (bytes are arriving, or part of a frame waits).</summary>
    public bool HasBuffer => _buffer is not null;

    /// <summary>
    /// Takes a buffer from the pool when there is something to read. The buffer is rented lazily and given back by
    /// <see cref="ReturnBufferIfEmpty"/> between messages, so an idle connection holds none (issue 13: an idle
    /// connection costs a few KB, not a 64 KB frame buffer).
    /// </summary>
    public void RentBuffer() => _buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);

    /// <summary>Gives the buffer back when no part of a frame waits in it (the reader's thread, after handling).</summary>
    public void ReturnBufferIfEmpty()
    {
        if (_filled == 0) ReturnBuffer();
    }

    /// <summary>Gives the buffer back once no reader can touch it any more.</summary>
    public void ReturnBuffer()
    {
        if (_buffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
        _buffer = null;
    }

    /// <summary>
    /// <paramref name="read"/> bytes were written at <see cref="FreeSpace"/>: handles the complete
    /// frames and keeps the rest. False ends the connection (garbage, or a handler failure).
    /// </summary>
    public bool OnReceived(int read)
    {
        var buffer = _buffer!;
        _filled += read;
        var filled = _filled;
        var consumed = 0;
        while (true)
        {
            var status = StreamFraming.TryGetFrameLength(buffer.AsSpan(consumed, filled - consumed), out var kind, out var frame);
            if (status == StreamFrameStatus.Invalid)
            {
                // Neither STUN nor ChannelData: the stream cannot be resynchronised.
                LogGarbage(logger, connection.Remote.ToString());
                return false;
            }
            // ChannelData before any allocation is not TURN (an HTTP "GET" looks like channel 0x4745).
            if (status == StreamFrameStatus.Frame && kind == PacketKind.ChannelData && !handler.HasAllocation(connection))
            {
                LogGarbage(logger, connection.Remote.ToString());
                return false;
            }
            if (status == StreamFrameStatus.NeedMoreData || frame > filled - consumed) break;
            var message = buffer.AsSpan(consumed, frame);
            consumed += frame;
            LastProgress = time.GetTimestamp();
            // ChannelData's padding belongs to the frame but not to the message.
            if (kind == PacketKind.ChannelData) message = message[..(ChannelData.HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(message[2..]))];
            try
            {
                handler.OnStreamMessage(connection, message);
            }
            catch (Exception ex)
            {
                // A bug in handling one message closes this connection only.
                LogHandlerFailed(logger, connection.Remote.ToString(), ex);
                return false;
            }
        }
        if (consumed > 0)
        {
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }
        _filled = filled;
        HasPartialFrame = filled > 0;
        return true;
    }

    [LoggerMessage(EventId = 1121, Level = LogLevel.Debug, Message = "Closed stream client {Remote}: not STUN or ChannelData")]
    private static partial void LogGarbage(ILogger logger, string remote);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Error, Message = "Handling a message from stream client {Remote} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string remote, Exception exception);
}
